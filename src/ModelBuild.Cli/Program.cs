using ModelBuild.Cli;

return ModelBuildCommandLine.Run(args, Console.Out, Console.Error);
