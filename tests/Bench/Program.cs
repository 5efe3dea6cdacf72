using SafeGram.Bench.Cli;

// The benchmark tool's subcommands; tests/bench.sh drives them one scenario at a time.
return await Commands.RunAsync(args);
