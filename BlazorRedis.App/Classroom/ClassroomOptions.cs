using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Classroom;

/// <summary>The <c>Classroom</c> settings: who is the teacher.</summary>
public sealed class ClassroomOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Classroom";

    /// <summary>The shortest teacher token accepted from configuration (a guessable one would hand out every control).</summary>
    public const int MinTokenLength = 16;

    /// <summary>
    /// The teacher token. When empty, the app makes a random one at start and logs the teacher link with it (as
    /// Jupyter does). A configured token keeps teacher cookies valid across restarts (when the Data Protection keys persist).
    /// </summary>
    public string? TeacherToken { get; set; }

    /// <summary>When true the teacher link can be opened more than once (e.g. on a second device); by default it works once.</summary>
    public bool ReusableTeacherLink { get; set; }

    /// <summary>Refuses a token that is short or holds characters a URL would mangle, naming the setting.</summary>
    public sealed class Validator : IValidateOptions<ClassroomOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClassroomOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.TeacherToken is not { Length: > 0 } token)
            {
                return ValidateOptionsResult.Success;
            }

            if (token.Length < MinTokenLength || token.Length > 200 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return ValidateOptionsResult.Fail(
                    $"Classroom:TeacherToken must be {MinTokenLength} to 200 characters of letters, digits, '-' or '_' (or left empty for a random one).");
            }

            return ValidateOptionsResult.Success;
        }
    }
}
