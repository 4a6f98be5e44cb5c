using System.Text.Json;
using Hokusai.Incidents.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hokusai.Incidents.Cli;

/// <summary>Standard output: JSON for scripts, Spectre tables for people; colour only on a terminal.</summary>
public sealed class Output
{
    private readonly TextWriter _writer;

    public Output(TextWriter writer, bool terminal)
    {
        _writer = writer;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Piped tables are read by people in logs and tickets: wide enough not to wrap ids and times.
        if (!terminal)
        {
            Console.Profile.Width = 160;
        }
    }

    public IAnsiConsole Console { get; }

    public void Json<T>(T value) => _writer.WriteLine(JsonSerializer.Serialize(value, CliJson.Options.TypeInfo<T>()));

    public void Line(string text = "") => _writer.WriteLine(text);

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public static string Escape(string? text) => Markup.Escape(text ?? "");

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(Escape(c)));
        }
        return table;
    }
}
