using Linkis.Orleans.Cli;

using var interrupts = Interrupts.Register();
return await CliApp.RunAsync(args, interrupts);
