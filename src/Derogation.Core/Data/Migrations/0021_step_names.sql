-- The sections an information request lets the applicant amend are stored by the steps' stable names
-- (Core's StepNames), no longer by the addresses of their pages, which belong to the web project and may change.
UPDATE information_requests SET amendable_sections = ARRAY(
    SELECT CASE section
        WHEN 'parties' THEN 'Parties'
        WHEN 'dispositif' THEN 'Device'
        WHEN 'marquage-ce' THEN 'NonCompliance'
        WHEN 'patient' THEN 'Patient'
        WHEN 'professionnels' THEN 'HealthProfessionals'
        WHEN 'perimetre' THEN 'GlobalScope'
        WHEN 'derogations-anterieures' THEN 'EarlierDerogations'
        WHEN 'securite-performances' THEN 'Safety'
        WHEN 'documents' THEN 'Documents'
        WHEN 'declarations' THEN 'Declarations'
        ELSE section
    END
    FROM unnest(amendable_sections) WITH ORDINALITY AS s(section, position)
    ORDER BY position);
