namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>Finds the chat a message belongs to (the mapping never changes). Any activation serves any call.</summary>
[Alias("SafeGram.Grains.Abstractions.Chats.IMessageDirectoryGrain")]
public interface IMessageDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("FindChatAsync")]
    Task<Guid?> FindChatAsync(Guid messageId);
}
