using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class OutboxTests : IAsyncLifetime
{
    private DatabaseLease _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Counts deliveries per recipient; slow, so that two senders really overlap.</summary>
    private sealed class CountingSender : IMailSender
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Deliveries { get; } = new();

        public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            Deliveries.AddOrUpdate(message.To, 1, (_, count) => count + 1);
        }
    }

    private sealed class FailingSender : IMailSender
    {
        public Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken = default) => throw new System.Net.Mail.SmtpException("down");
    }

    private DerogationDbContext NewContext() =>
        new(DerogationDbContext.Options(_database.ConnectionString));

    [Fact]
    public async Task TwoSenders_OnOneOutbox_SendEachMessageExactlyOnce()
    {
        await using (var db = NewContext())
        {
            for (var i = 0; i < 60; i++)
            {
                db.Enqueue(TimeProvider.System, $"destinataire{i}@example.fr", "Objet", "Corps", "Test");
            }

            await db.SaveChangesAsync();
        }

        var mail = new CountingSender();
        await using var first = NewContext();
        await using var second = NewContext();
        var sent = await Task.WhenAll(
            new OutboxSender(first, mail, TimeProvider.System).SendDueAsync(100),
            new OutboxSender(second, mail, TimeProvider.System).SendDueAsync(100));

        Assert.Equal(60, sent.Sum());
        Assert.True(sent.All(s => s > 0), $"Both senders should have worked: {sent[0]} and {sent[1]}.");
        Assert.Equal(60, mail.Deliveries.Count);
        Assert.All(mail.Deliveries.Values, count => Assert.Equal(1, count));
        await using var check = NewContext();
        Assert.Equal(60, await check.OutboxMessages.CountAsync(m => m.SentAt != null && m.Attempts == 1));
    }

    [Fact]
    public async Task AFailedDelivery_IsRetriedLater_WithoutTheAddressInTheError()
    {
        await using (var db = NewContext())
        {
            db.Enqueue(TimeProvider.System, "quelquun@example.fr", "Objet", "Corps", "Test");
            await db.SaveChangesAsync();
        }

        await using var context = NewContext();
        Assert.Equal(0, await new OutboxSender(context, new FailingSender(), TimeProvider.System).SendDueAsync());
        await using var check = NewContext();
        var message = await check.OutboxMessages.SingleAsync();
        Assert.Null(message.SentAt);
        Assert.Equal(1, message.Attempts);
        Assert.Equal("SmtpException", message.LastError);
        Assert.True(message.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(30), "The next attempt waits.");

        // Not due yet: a second pass sends nothing and does not count an attempt.
        var mail = new CountingSender();
        await using var again = NewContext();
        Assert.Equal(0, await new OutboxSender(again, mail, TimeProvider.System).SendDueAsync());
        Assert.Empty(mail.Deliveries);
    }
}
