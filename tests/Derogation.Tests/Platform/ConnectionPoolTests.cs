using Derogation.Core.Data;
using Npgsql;

namespace Derogation.Tests.Platform;

/// <summary>The pool the portal's connections come from (docs/adr/0009): sized for the database unless the operator says.</summary>
public sealed class ConnectionPoolTests
{
    [Fact]
    public void WithoutAPoolSizeInTheString_ThePortalKeepsFourConnectionsPerCore_AtLeastEight()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DerogationDbContext.Tuned("Host=db;Database=derogation;Username=portal"));

        Assert.Equal(Math.Max(8, 4 * Environment.ProcessorCount), tuned.MaxPoolSize);
        Assert.NotEqual(new NpgsqlConnectionStringBuilder().MaxPoolSize, tuned.MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size=50", 50)]
    [InlineData("MaxPoolSize=3", 3)]
    [InlineData("maximum pool size=120", 120)]
    [InlineData("Maximum Pool Size=100", 100)]
    public void AnOperatorsPoolSize_IsKept_WhateverItsSpelling(string setting, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DerogationDbContext.Tuned($"Host=db;Database=derogation;Username=portal;{setting}"));

        Assert.Equal(expected, tuned.MaxPoolSize);
    }
}
