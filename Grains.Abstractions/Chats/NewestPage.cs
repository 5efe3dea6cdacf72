using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>
/// The newest page of a chat as of <see cref="Version"/> (the chat's latest change). <see cref="Messages"/> is
/// <c>null</c> when the caller already holds the page of that version, so a cached copy can be served unchanged.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.NewestPage")]
public sealed record NewestPage(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<ChatMessage>? Messages);
