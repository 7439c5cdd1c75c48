namespace Linkis.Orleans.Client.Api;

/// <summary>
/// The messages of the request attributes' checks, worded like the API's other errors: the field is named beside
/// them (<c>errors[].field</c>), so they say only what is wrong ({1} and {2} are the attribute's bounds).
/// </summary>
public static class ApiMessages
{
    public const string Range = "must be between {1} and {2}";
    public const string MaxLength = "may be at most {1} characters long";
    // Braces are doubled: the messages are format strings.
    public const string LabelsRequired = "is required, e.g. {{\"userCreator\":\"alice-IDE\",\"engineType\":\"shell-1\"}}";
    public const string CodeRequired = "is required, e.g. {{\"code\":\"echo hello\"}}";
    public const string DeadlineRequired = "is required, e.g. {{\"deadline\":\"10m\"}}";
    public const string DeadlinePattern = "must be seconds, or a number with ms, s, m, h or d, e.g. 10m";
    public const string UserPattern = "must be a Linux user name: a lower-case letter or '_', then lower-case letters, digits, '_' or '-'";
    public const string CreatorPattern = "must be 1 to 64 letters, digits or '_', e.g. IDE";
    public const string SharePattern = "must be user, connection, group or server";
    public const string EngineTypePattern = "must be type-version, e.g. shell-1 or python-python3";
    public const string SizePattern = "must be bytes, or a number with k, m, g or t, e.g. 8g";
    public const string PropertiesRequired = "is required, e.g. {{\"properties\":{{\"memory\":\"2g\"}}}}";
    public const string EligibleRequired = "is required, e.g. {{\"eligible\":false}}";
}
