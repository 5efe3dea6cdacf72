using SafeGram.Bench.Api;

namespace SafeGram.Bench.Setup;

/// <summary>Creates groups through the REST API: at most 200 members at creation, then 200 per add call.</summary>
internal static class ChatBuilder
{
    private const int PerCall = 200;

    /// <summary>A group owned by <c>pool[members[0]]</c> with all of <paramref name="members"/>.</summary>
    public static async Task<BenchChat> CreateAsync(GatewayApi api, BenchUser[] pool, int[] members, string name, CancellationToken cancellationToken)
    {
        var owner = pool[members[0]];
        var others = members.Skip(1).Select(i => pool[i].Id).ToList();
        var id = await api.CreateGroupAsync(owner, name, others.Take(PerCall - 1), cancellationToken);
        foreach (var batch in others.Skip(PerCall - 1).Chunk(PerCall))
        {
            await api.AddMembersAsync(owner, id, batch, cancellationToken);
        }

        return new BenchChat(id, members);
    }

    /// <summary><paramref name="count"/> groups of <paramref name="size"/> consecutive pool members, created concurrently.</summary>
    public static async Task<BenchChat[]> CreateManyAsync(
        IReadOnlyList<GatewayApi> gateways, BenchUser[] pool, int count, int size, string name, CancellationToken cancellationToken)
    {
        var chats = new BenchChat[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) => chats[i] = await CreateAsync(
                gateways[i % gateways.Count], pool, [.. Enumerable.Range(i * size, size)], $"{name} {i}", ct));
        return chats;
    }
}
