namespace Derogation.Core.Issuing;

/// <summary>The e-mails that go with a letter, as ANSM last wrote them (<c>/admin/modeles</c>), placeholders unfilled.</summary>
public sealed record LetterEmailSet(string Notice, string Copy, string CopyLink);

/// <summary>
/// The portal's own wording of the e-mails that go with a letter: the notice to the manufacturer's and the
/// applicant's users (a link to the portal, in French and English), and the copy to those without an account — the
/// letter attached, or a single-use link. ANSM edits them like the letters' paragraphs; each names its placeholders,
/// and those without which the e-mail would be useless are required.
/// </summary>
public static class LetterEmails
{
    public const string Notice = """
        Bonjour,

        Demande de dérogation {reference} : {objet}. La lettre de l'ANSM est disponible sur le portail :

        {lien}

        ANSM — portail des dérogations au marquage CE

        ---

        Hello,

        Derogation application {reference}: {object}. ANSM's letter is available on the portal:

        {lien}

        ANSM — CE-marking derogation portal
        """;

    public const string Copy = """
        Madame, Monsieur,

        Vous trouverez ci-joint, pour information, la décision de l'ANSM sur la demande de dérogation au marquage CE n° {reference} ({objet}), dont vous êtes destinataire en copie.

        Son authenticité peut être vérifiée à l'adresse {verification}

        ANSM — Agence nationale de sécurité du médicament et des produits de santé
        """;

    public const string CopyLink = """
        Madame, Monsieur,

        La décision de l'ANSM sur la demande de dérogation au marquage CE n° {reference} ({objet}) vous est adressée en copie. Ce lien ouvre la lettre une seule fois, pendant {jours} jours ; enregistrez-la à l'ouverture :

        {lien}

        Son authenticité peut être vérifiée à l'adresse {verification}

        ANSM — Agence nationale de sécurité du médicament et des produits de santé
        """;

    public static readonly LetterEmailSet Defaults = new(Notice, Copy, CopyLink);

    /// <summary>The wording keys, as <see cref="LetterWordings"/> stores them.</summary>
    public const string NoticeKey = "EmailLetterNotice", CopyKey = "EmailLetterCopy", CopyLinkKey = "EmailLetterCopyLink";

    /// <summary>The placeholders each e-mail may use, and those it must (a notice without its link leads nowhere).</summary>
    public static readonly IReadOnlyDictionary<string, (IReadOnlyList<string> Allowed, IReadOnlyList<string> Required)> Placeholders =
        new Dictionary<string, (IReadOnlyList<string>, IReadOnlyList<string>)>
        {
            [NoticeKey] = (["{reference}", "{objet}", "{object}", "{lien}"], ["{lien}"]),
            [CopyKey] = (["{reference}", "{objet}", "{verification}"], ["{verification}"]),
            [CopyLinkKey] = (["{reference}", "{objet}", "{lien}", "{jours}", "{verification}"], ["{lien}"]),
        };

    /// <summary><paramref name="template"/> with its placeholders replaced (each value as is: e-mails are plain text).</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = template.Trim().ReplaceLineEndings("\n");
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>An e-mail filled on a fictitious case, for the preview: nobody real, no working link.</summary>
    public static string Sample(string key, LetterEmailSet set)
    {
        var template = key switch { NoticeKey => set.Notice, CopyKey => set.Copy, _ => set.CopyLink };
        return Fill(template, new Dictionary<string, string>
        {
            ["{reference}"] = "DGL-0000-00000",
            ["{objet}"] = "décision de l'ANSM : demande accordée",
            ["{object}"] = "ANSM's decision: granted",
            ["{lien}"] = "https://portail.example/demandes/DGL-0000-00000",
            ["{verification}"] = "https://portail.example/verification/EXEM-PLEE-XEMP-LEEX",
            ["{jours}"] = "30",
        });
    }
}
