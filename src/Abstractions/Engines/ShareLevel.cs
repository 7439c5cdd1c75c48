namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>Who an engine may be shared with (Kyuubi's share levels), as an ask chooses with <c>share</c>.</summary>
public enum ShareLevel
{
    /// <summary>Any idle engine of the same user-creator and engine type (the default).</summary>
    User,

    /// <summary>Never shared: a new engine, leased to this asker.</summary>
    Connection,

    /// <summary>Any idle engine of a user in the same Linux group, running as the group's configured account.</summary>
    Group,

    /// <summary>One engine pool per engine type for everyone, running as the configured service account.</summary>
    Server,
}
