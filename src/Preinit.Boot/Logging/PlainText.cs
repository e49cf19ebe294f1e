// Renders a log event's message as plain text (strings unquoted), for kmsg and the log file.
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Preinit.Boot.Logging;

public static class PlainText
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");

    public static string Render(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        Message.Format(logEvent, writer);
        return writer.ToString();
    }
}
