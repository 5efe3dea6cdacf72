namespace SafeGram.Grains.Abstractions.Chats;

[GenerateSerializer, Alias("SafeGram.ChatType")]
public enum ChatType
{
    Dm = 0,
    Group = 1,
    Channel = 2,
}

[GenerateSerializer, Alias("SafeGram.MemberRole")]
public enum MemberRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}
