using System.Globalization;

namespace Derogation.Web.Applications;

/// <summary>
/// A country as organisations type it (free text, in French or English) shown in the page's language when it is one
/// the portal knows — the Union, the EEA and the countries manufacturers most often file from; anything else is
/// shown as typed. Only the display changes: what was typed is what is stored and printed on letters.
/// </summary>
public static class CountryNames
{
    private static readonly (string French, string English)[] Known =
    [
        ("Allemagne", "Germany"), ("Autriche", "Austria"), ("Belgique", "Belgium"), ("Bulgarie", "Bulgaria"), ("Chypre", "Cyprus"),
        ("Croatie", "Croatia"), ("Danemark", "Denmark"), ("Espagne", "Spain"), ("Estonie", "Estonia"), ("Finlande", "Finland"),
        ("France", "France"), ("Grèce", "Greece"), ("Hongrie", "Hungary"), ("Irlande", "Ireland"), ("Italie", "Italy"),
        ("Lettonie", "Latvia"), ("Lituanie", "Lithuania"), ("Luxembourg", "Luxembourg"), ("Malte", "Malta"), ("Pays-Bas", "Netherlands"),
        ("Pologne", "Poland"), ("Portugal", "Portugal"), ("Roumanie", "Romania"), ("Slovaquie", "Slovakia"), ("Slovénie", "Slovenia"),
        ("Suède", "Sweden"), ("République tchèque", "Czech Republic"), ("Tchéquie", "Czechia"), ("Islande", "Iceland"), ("Liechtenstein", "Liechtenstein"),
        ("Norvège", "Norway"), ("Suisse", "Switzerland"), ("Royaume-Uni", "United Kingdom"), ("États-Unis", "United States"),
        ("Canada", "Canada"), ("Japon", "Japan"), ("Chine", "China"), ("Corée du Sud", "South Korea"), ("Israël", "Israel"),
        ("Australie", "Australia"), ("Inde", "India"), ("Brésil", "Brazil"), ("Turquie", "Turkey"), ("Singapour", "Singapore"),
        ("Taïwan", "Taiwan"), ("Mexique", "Mexico"), ("Nouvelle-Zélande", "New Zealand"), ("Afrique du Sud", "South Africa"),
    ];

    /// <summary><paramref name="typed"/> in the current UI language when the portal knows the country, else as typed.</summary>
    public static string Display(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return "";
        }

        var name = typed.Trim();
        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        foreach (var (french, englishName) in Known)
        {
            if (string.Equals(name, french, StringComparison.OrdinalIgnoreCase) || string.Equals(name, englishName, StringComparison.OrdinalIgnoreCase))
            {
                return english ? englishName : french;
            }
        }

        return name;
    }
}
