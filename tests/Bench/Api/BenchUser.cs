namespace SafeGram.Bench.Api;

/// <summary>A registered benchmark user and its bearer token.</summary>
internal sealed record BenchUser(Guid Id, string Username, string Token);
