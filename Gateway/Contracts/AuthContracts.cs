namespace SafeGram.Gateway.Contracts;

/// <summary>Extra fields the earlier clients send (<c>emailCode</c>, <c>needsCloudCode</c>) are ignored.</summary>
public sealed record RegisterRequest(string? Username, string? Password, string? Email);

public sealed record LoginRequest(string? Username, string? Password);

public sealed record AuthResponse(string Token, AuthUser User);

public sealed record AuthUser(Guid Id, string Username, string Status);
