namespace SafeGram.Grains.Abstractions.Users;

/// <summary>User ids travel as lowercase UUID strings; this keeps grain keys in one form.</summary>
public static class UserKeys
{
    public static string ToKey(this Guid userId) => userId.ToString("D");

    public static IUserGrain GetUser(this IGrainFactory grains, Guid userId) =>
        grains.GetGrain<IUserGrain>(userId.ToKey());
}
