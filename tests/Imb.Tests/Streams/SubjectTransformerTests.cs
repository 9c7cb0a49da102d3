using Imb.Streams;

namespace Imb.Tests.Streams;

public sealed class SubjectTransformerTests
{
    [Theory]
    [InlineData("orders.*.*", "orders.by.{{wildcard(2)}}.{{wildcard(1)}}", "orders.eu.shipped", "orders.by.shipped.eu")]
    [InlineData("orders.*.*", "orders.by.$2.$1", "orders.eu.shipped", "orders.by.shipped.eu")]
    [InlineData("orders.*.*", "orders.by.{{ Wildcard( 1 ) }}", "orders.eu.shipped", "orders.by.eu")]
    [InlineData("legacy.>", "orders.>", "legacy.eu.shipped.late", "orders.eu.shipped.late")]
    [InlineData("legacy.*.>", "orders.$1.>", "legacy.eu.shipped.late", "orders.eu.shipped.late")]
    [InlineData("orders.*.*", "orders.by.$2.$1", "orders.eu", "orders.eu")]
    [InlineData("orders.eu.*", "orders.europe.$1", "orders.us.shipped", "orders.us.shipped")]
    public void Apply_SubjectPublished_StoresWhatTheServerWould(string source, string destination, string published, string stored)
    {
        var transformer = SubjectTransformer.Create(new SubjectTransformOptions { Source = source, Destination = destination });

        Assert.Equal(stored, transformer.Apply(published));
    }

    [Theory]
    [InlineData("", "x", "Source '' is empty")]
    [InlineData("a.*", "", "Destination is empty")]
    [InlineData("a.*", "b.$2", "refers to wildcard 2; Source 'a.*' has 1 '*'")]
    [InlineData("a.*", "b.$0", "refers to wildcard 0")]
    [InlineData("a.*", "b.>", "may end in '>' only, and only when Source ends in '>'")]
    [InlineData("a.>", "b.c", "must end in '>' like Source 'a.>'")]
    [InlineData("a.*", "b.{{partition(3,1)}}", "'{{partition(3,1)}}' is not supported")]
    [InlineData("a.*", "b.x$1", "'x$1' is not supported")]
    [InlineData("a.*", "b.*", "Destination token '*' contains a wildcard")]
    [InlineData("a.*", "b..c", "Destination token '' is empty")]
    public void Check_TransformImbCannotApply_SaysWhy(string source, string destination, string why)
    {
        var error = SubjectTransformer.Check(new SubjectTransformOptions { Source = source, Destination = destination });

        Assert.NotNull(error);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }
}
