// The preinit executable: everything is in src/; this is only the process entry point.
return Preinit.Cli.Entry.Main(args);
