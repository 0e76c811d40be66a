namespace Derogation.Core.Letters;

/// <summary>The standard paragraphs a letter is drawn with (the portal's own, or the version ANSM wrote).</summary>
public sealed record LetterWordingSet(string GrantIndividual, string GrantGlobal, string Refusal, string Closure);

/// <summary>
/// What every letter of an outcome says besides the reviewer's reasons and conditions (seeds 000–003: on a grant, who
/// may supply the device and for what, the patient's information and consent, vigilance, France only, ANSM's follow-up;
/// on a refusal, that the device must not be supplied). One paragraph per line; <c>{vigilance}</c> is
/// "matériovigilance" or "réactovigilance" as the legal basis requires.
/// </summary>
public static class StandardParagraphs
{
    public const string GrantIndividual = """
        L'opérateur peut mettre le dispositif à la disposition de l'établissement de santé et du professionnel de santé mentionnés ci-dessus, pour la seule prise en charge du patient concerné.
        Le professionnel de santé informe clairement le patient que le dispositif n'est pas revêtu du marquage CE et recueille son consentement libre et éclairé, conformément aux articles L. 1111-2 et L. 1111-4 du code de la santé publique.
        Tout incident ou risque d'incident survenu avec le dispositif est déclaré sans délai à l'ANSM au titre de la {vigilance}.
        La présente dérogation vaut pour le seul territoire français.
        L'ANSM assure le suivi de l'utilisation du dispositif au titre de la présente dérogation ; elle peut la suspendre ou la retirer à tout moment, notamment en cas de risque pour la sécurité des patients.
        """;

    public const string GrantGlobal = """
        L'opérateur peut mettre le dispositif à la disposition de tout établissement de santé ou professionnel de santé qui en a besoin, pour l'indication autorisée et dans les conditions fixées par la présente décision, sans dépasser la date de fin de validité.
        Le professionnel de santé informe clairement le patient que le dispositif n'est pas revêtu du marquage CE et recueille son consentement libre et éclairé, conformément aux articles L. 1111-2 et L. 1111-4 du code de la santé publique.
        Tout incident ou risque d'incident survenu avec le dispositif est déclaré sans délai à l'ANSM au titre de la {vigilance}.
        La présente dérogation vaut pour le seul territoire français ; elle figure sur la liste des dérogations globales publiée par l'ANSM.
        L'ANSM assure le suivi de l'utilisation du dispositif au titre de la présente dérogation ; elle peut la suspendre ou la retirer à tout moment, notamment en cas de risque pour la sécurité des patients.
        """;

    public const string Refusal = """
        L'opérateur ne peut pas mettre à disposition le dispositif objet de la demande au titre d'une dérogation à l'obligation de marquage CE.
        """;

    public const string Closure = """
        En l'absence de décision sur le fond, l'opérateur ne peut pas mettre à disposition le dispositif objet de la demande au titre d'une dérogation à l'obligation de marquage CE.
        """;

    /// <summary>The portal's own wording: what a letter says until ANSM edits it (<c>/admin/modeles</c>).</summary>
    public static readonly LetterWordingSet Defaults = new(GrantIndividual, GrantGlobal, Refusal, Closure);

    /// <summary>The paragraphs of <paramref name="text"/>, placeholders filled.</summary>
    public static IReadOnlyList<string> Fill(string text, bool ivd) =>
        FrenchText.Lines(text).Select(line => line.Replace("{vigilance}", ivd ? "réactovigilance" : "matériovigilance", StringComparison.Ordinal)).ToList();
}
