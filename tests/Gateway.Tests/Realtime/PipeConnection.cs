using System.IO.Pipelines;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>A connection's two pipes, as a Kestrel connection middleware sees them.</summary>
internal sealed record PipeConnection(PipeReader Input, PipeWriter Output) : IDuplexPipe;
