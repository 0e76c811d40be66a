using Derogation.Core.Applications;
using Derogation.Tests.Infrastructure;
using FluentValidation;

namespace Derogation.Tests.Core;

/// <summary>docs/domain.md §6, rule by rule, with text as applicants write it.</summary>
public sealed class AnonymisationTests
{
    [Theory]
    [InlineData("12/03/2024")]
    [InlineData("2024-03-12")]
    [InlineData("12.03.24")]
    [InlineData("12 mars 2024")]
    [InlineData("1er mars")]
    [InlineData("premier mars")]
    [InlineData("March 12, 2024")]
    [InlineData("03/2024")]
    [InlineData("mars 2024")]
    [InlineData("12-03-2024")]
    [InlineData("3 février")]
    [InlineData("15 août 2023")]
    [InlineData("décembre 2023")]
    [InlineData("12 March 2024")]
    [InlineData("12th of March")]
    [InlineData("Dec 3rd")]
    [InlineData("le 5 janv. 2025")]
    public void PatientText_WithADateMorePreciseThanAYear_IsRefused(string date)
    {
        var text = $"Hospitalisé(e) le {date} pour une décompensation cardiaque.";
        var finding = Assert.Single(Anonymisation.InPatientText(text), f => f.Problem == AnonymisationProblem.PreciseDate);
        Assert.Contains(finding.Found, text);
    }

    [Theory]
    [InlineData("Diagnostic posé en 2024, rechute en 2025.")]
    [InlineData("Patient de 54 ans, suivi depuis 2019, espérance de vie estimée à 6 mois.")]
    [InlineData("Trois cures de chimiothérapie entre 2022 et 2023 ; J+3 post-opératoire.")]
    [InlineData("Diagnosed in 2024; 2 relapses within 12 months.")]
    [InlineData("Dose de 2,5 mg/kg/j pendant 10 jours, puis 1/2 dose.")]
    [InlineData("Le patient D. M., né en 1962, présente une mutation rare.")]
    [InlineData("Score NYHA III, FEVG à 25 %, 3 hospitalisations en 2024.")]
    [InlineData("La prise en charge de mai à juillet est prévue.")]
    public void PatientText_WithYearsOnly_IsAccepted(string text)
    {
        Assert.Empty(Anonymisation.InPatientText(text));
    }

    [Theory]
    [InlineData("1 84 12 75 123 456 40")]
    [InlineData("184127512345640")]
    [InlineData("2 95 06 99 123 021 15")]
    [InlineData("1 84 12 75 123 456")]
    [InlineData("2 69 05 2A 012 345 37")]
    public void SocialSecurityNumber_IsRefusedInEveryFreeText(string nir)
    {
        var text = $"Numéro de sécurité sociale : {nir}.";
        Assert.Contains(Anonymisation.InPatientText(text), f => f.Problem == AnonymisationProblem.SocialSecurityNumber && f.Found == nir);
        Assert.Contains(Anonymisation.InOtherText(text), f => f.Problem == AnonymisationProblem.SocialSecurityNumber && f.Found == nir);
    }

    [Theory]
    [InlineData("GTIN 184127512345641 du kit")] // a 15-digit catalogue number whose key is not a NIR key
    [InlineData("UDI-DI 04056869003603")]
    [InlineData("Téléphone du service : 01 23 45 67 89")]
    [InlineData("Lot 2024-117, référence REF-55012, 250 tests par coffret.")]
    public void NumbersThatAreNotSocialSecurityNumbers_AreAccepted(string text)
    {
        Assert.Empty(Anonymisation.InOtherText(text));
    }

    [Theory]
    [InlineData("M. Dupont")]
    [InlineData("Mme Martin")]
    [InlineData("Madame X")]
    [InlineData("Mr Smith")]
    [InlineData("Mrs. Johnson")]
    [InlineData("Monsieur Lefèvre")]
    [InlineData("Mlle Durand")]
    [InlineData("madame Benali")]
    public void PatientText_NamingThePatientWithATitle_IsRefused(string titleAndName)
    {
        var text = $"Demande pour {titleAndName}, suivi(e) dans notre service.";
        Assert.Contains(Anonymisation.InPatientText(text), f => f.Problem == AnonymisationProblem.TitleAndName && f.Found == titleAndName);
    }

    [Theory]
    [InlineData("Le patient est suivi par l'équipe de M. le professeur du service.")]
    [InlineData("Mme la directrice de l'établissement a été informée.")]
    [InlineData("The patient, a 54-year-old man, was seen by the team.")]
    public void PatientText_WithTitlesButNoName_IsAccepted(string text)
    {
        Assert.Empty(Anonymisation.InPatientText(text));
    }

    [Theory]
    [InlineData("né le")]
    [InlineData("née le")]
    [InlineData("Née le")]
    [InlineData("born on")]
    public void BirthDatePhrase_IsRefusedInEveryFreeText(string phrase)
    {
        var text = $"Patient {phrase} premier jour du printemps.";
        Assert.Contains(Anonymisation.InOtherText(text), f => f.Problem == AnonymisationProblem.BirthDatePhrase && f.Found == phrase);
    }

    [Fact]
    public void OtherText_MayHoldPreciseDatesAndNames()
    {
        // Outside the patient's description, dates and names are ordinary: a CE-marking plan has a timeline.
        Assert.Empty(Anonymisation.InOtherText("Dépôt auprès de l'organisme notifié le 12/03/2024 ; audit prévu en mars 2025 avec M. Dupont."));
    }

    [Theory]
    [InlineData("D", true)]
    [InlineData("é", true)]
    [InlineData(" Ç ", true)]
    [InlineData("Du", false)]
    [InlineData("Dupont", false)]
    [InlineData("D.", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData("-", false)]
    public void Initial_IsExactlyOneLetter(string value, bool accepted)
    {
        Assert.Equal(accepted, Anonymisation.IsInitial(value));
    }

    private sealed record Patient(string? LastNameInitial, int? YearOfBirth, string? MedicalContext, string? DeviceDescription);

    private static InlineValidator<Patient> Validator(Microsoft.Extensions.Localization.IStringLocalizer l, TimeProvider clock)
    {
        var validator = new InlineValidator<Patient>();
        validator.RuleFor(p => p.LastNameInitial).PatientInitial(l, "FieldLastNameInitial");
        validator.RuleFor(p => p.YearOfBirth).YearOfBirth(l, clock);
        validator.RuleFor(p => p.MedicalContext).PatientFreeText(l, "FieldMedicalContext");
        validator.RuleFor(p => p.DeviceDescription).OtherFreeText(l, "FieldDeviceDescription");
        return validator;
    }

    [Fact]
    public void Messages_NameTheFieldWhatWasFoundAndTheFix_InFrench()
    {
        var l = Strings.In("fr");
        var errors = Validator(l, new FixedClock(2026)).Validate(new Patient("Dupont", 2027, "Admis le 12/03/2024 (Mme Martin).", "Patient né le 3 mai.")).Errors
            .Select(e => e.ErrorMessage).ToList();

        Assert.Contains("Initiale du nom du patient : « Dupont » n'est pas une initiale. Identifiez le patient par ses initiales uniquement : une seule lettre, par exemple D.", errors);
        Assert.Contains("Année de naissance : 2027 n'est pas possible. Saisissez une année entre 1900 et 2026, sans jour ni mois.", errors);
        Assert.Contains("Contexte médical : « 12/03/2024 » est une date trop précise. Toute date concernant le patient doit se limiter à l'année : écrivez par exemple « en 2024 ».", errors);
        Assert.Contains("Contexte médical : « Mme Martin » désigne une personne par son nom. Identifiez le patient par ses initiales uniquement (par exemple « le patient D. M. »).", errors);
        Assert.Contains("Description du dispositif : « né le » annonce une date de naissance. Retirez-la : seule l'année de naissance est demandée, dans son propre champ.", errors);
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Messages_InEnglish()
    {
        var l = Strings.In("en");
        var errors = Validator(l, new FixedClock(2026)).Validate(new Patient("D.", 1899, "Seen on March 12, 2024.", null)).Errors.Select(e => e.ErrorMessage).ToList();

        Assert.Equal(
        [
            "Patient's last-name initial: write the letter only, without the dot: D.",
            "Year of birth: 1899 is not possible. Enter a year between 1900 and 2026, without day or month.",
            "Medical context: \"March 12, 2024\" is too precise a date. Any date concerning the patient must be limited to the year: write, for example, \"in 2024\".",
        ], errors);
    }

    [Theory]
    [InlineData(1900)]
    [InlineData(1962)]
    [InlineData(2026)]
    public void YearOfBirth_From1900ToThisYear_IsAccepted(int year)
    {
        Assert.True(Validator(Strings.In("fr"), new FixedClock(2026)).Validate(new Patient("D", year, "Suivi depuis 2019.", "Kit de 250 tests.")).IsValid);
    }
}
