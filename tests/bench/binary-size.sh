#!/usr/bin/env bash
# binary-size.sh: what the required packages cost in a NativeAOT binary, against out/preinit.
# Builds small programs with native-aot/Preinit.csproj's settings (size-optimized, stripped, the
# same feature switches) and the package versions the src projects use: an empty program, each
# package used on its own, all of them together, then prints every size beside preinit's.
#   PREINIT=path   binary to compare (default: out/preinit of this repository)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PREINIT=${PREINIT:-$REPO/out/preinit}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

die() { echo "binary-size.sh: $*" >&2; exit 1; }
[[ -f $PREINIT ]] || die "$PREINIT missing (run ./publish.sh build)"

# The version a src project pins for PACKAGE.
version_of() {
    grep -h "Include=\"$1\"" "$REPO"/src/*/*.csproj | head -n 1 | sed -E 's/.*Version="([^"]+)".*/\1/'
}

PACKAGES=$(cat <<EOF
<PackageReference Include="Microsoft.Extensions.Hosting" Version="$(version_of Microsoft.Extensions.Hosting)" />
<PackageReference Include="Serilog" Version="$(version_of Serilog)" />
<PackageReference Include="Serilog.Sinks.Console" Version="$(version_of Serilog.Sinks.Console)" />
<PackageReference Include="System.CommandLine" Version="$(version_of System.CommandLine)" />
EOF
)

# build NAME PROGRAM: publish PROGRAM (C# top-level statements) as NAME; prints its size in bytes.
build() {
    local dir=$WORK/$1
    mkdir -p "$dir"
    cp "$REPO/Directory.Build.props" "$dir/"
    awk -v packages="$PACKAGES" '/ProjectReference/ { print packages; next } { print }' \
        "$REPO/native-aot/Preinit.csproj" >"$dir/Sized.csproj"
    printf '%s\n' "$2" >"$dir/Program.cs"
    (cd "$dir" && dotnet publish Sized.csproj -c Release -r linux-x64 -o out --nologo -v quiet >build.log 2>&1) ||
        die "$1 did not build: $(grep -m 3 error "$dir/build.log")"
    stat -c %s "$dir/out/preinit"
}

HOSTING='var b = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["debug"] = "1" });
b.Services.Configure<S>(o => o.Debug = b.Configuration["debug"] == "1");
using var h = b.Build();
var debug = h.Services.GetRequiredService<IOptions<S>>().Value.Debug;'
SERILOG='var log = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Console(outputTemplate: "{Message:lj}{NewLine}").CreateLogger();'
COMMANDLINE='var root = new RootCommand("sized"); var name = new Option<string>("--name"); var run = new Command("run", "run it");
run.Options.Add(name); root.Subcommands.Add(run);'
USINGS='using System.CommandLine; using Microsoft.Extensions.Configuration; using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting; using Microsoft.Extensions.Options; using Serilog;'
SETTINGS='sealed class S { public bool Debug { get; set; } }'

declare -A size
size[empty]=$(build empty 'System.Console.WriteLine("hello");')
size[hosting]=$(build hosting "$USINGS
$HOSTING
System.Console.WriteLine(debug);
$SETTINGS")
size[serilog]=$(build serilog "$USINGS
$SERILOG
log.Information(\"hello {Count}\", args.Length);")
size[commandline]=$(build commandline "$USINGS
$COMMANDLINE
run.SetAction(r => System.Console.WriteLine(r.GetValue(name)));
return root.Parse(args).Invoke();")
size[all]=$(build all "$USINGS
$HOSTING
$SERILOG
$COMMANDLINE
run.SetAction(r => log.Information(\"hello {Name} {Debug}\", r.GetValue(name), debug));
return root.Parse(args).Invoke();
$SETTINGS")
size[preinit]=$(stat -c %s "$PREINIT")

echo "| binary | bytes | MiB |"
echo "|---|---|---|"
for name in empty hosting serilog commandline all preinit; do
    awk -v n="$name" -v b="${size[$name]}" 'BEGIN { printf "| %s | %d | %.2f |\n", n, b, b / 1048576 }'
done
