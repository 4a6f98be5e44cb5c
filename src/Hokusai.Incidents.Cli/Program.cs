using Hokusai.Incidents.Cli;

if (StartupMode.CompilesNoCode(args))
{
    // Read before anything asks System.Linq.Expressions or System.Text.Json for generated code.
    AppContext.SetSwitch(StartupMode.DynamicCodeSwitch, false);
}
return await IncidentsCli.RunAsync(args, CliEnvironment.FromConsole());
