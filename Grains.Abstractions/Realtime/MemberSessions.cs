using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Realtime;

/// <summary>
/// Which gateways hold sockets of a user right now: sent by the user's grain to each of the user's chats
/// whenever that set changes, so chats route events straight to gateways. <see cref="Epoch"/> orders updates.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.MemberSessions")]
public sealed record MemberSessions(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] ImmutableArray<IGatewayObserver> Gateways,
    [property: Id(2)] long Epoch)
{
    public bool IsOnline => !Gateways.IsEmpty;
}
