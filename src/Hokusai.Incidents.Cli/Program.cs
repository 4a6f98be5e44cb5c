using Hokusai.Incidents.Cli;

return await IncidentsCli.RunAsync(args, CliEnvironment.FromConsole());
