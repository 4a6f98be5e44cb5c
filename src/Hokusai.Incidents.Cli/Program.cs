using Hokusai.Incidents.Cli;

if (StartupMode.CompilesNoCode(args))
{
    // Read before LiteDB asks System.Linq.Expressions for generated code.
    AppContext.SetSwitch(StartupMode.DynamicCodeSwitch, false);
}
return await IncidentsCli.RunAsync(args, CliEnvironment.FromConsole());
