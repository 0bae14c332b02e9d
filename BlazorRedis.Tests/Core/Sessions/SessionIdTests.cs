using BlazorRedis.Core.Sessions;

namespace BlazorRedis.Tests.Core.Sessions;

public class SessionIdTests
{
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_")]
    [InlineData("___________________________________________")]
    [InlineData("------------------------------------------Z")]
    public void A_non_canonical_spelling_is_not_well_formed_and_does_not_throw(string text)
    {
        Assert.Equal(SessionId.TextLength, text.Length);

        Assert.False(SessionId.IsWellFormed(text));
    }

    [Fact]
    public void Every_issued_id_is_well_formed_and_its_canonical_neighbours_are_too()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.True(SessionId.IsWellFormed(SessionId.New()));
        }

        Assert.True(SessionId.IsWellFormed(new string('A', 43)));
        Assert.True(SessionId.IsWellFormed(new string('_', 42) + "w"));
    }
}
