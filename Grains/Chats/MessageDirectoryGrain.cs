using Orleans.Concurrency;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

[StatelessWorker]
internal sealed class MessageDirectoryGrain(IMessageLog log) : Grain, IMessageDirectoryGrain
{
    public Task<Guid?> FindChatAsync(Guid messageId) => log.FindChatIdAsync(messageId, CancellationToken.None);
}
