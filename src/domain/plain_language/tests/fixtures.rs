//! Texts of the reference examples in the shared folder, copied so tests read no files.

/// Every text of the reference `examples/questionnaire.json` (shared folder).
pub(super) const QUESTIONNAIRE: &[(&str, &str)] = &[
    ("title", "Wat betekent betaald werk voor u?"),
    (
        "purpose",
        "We willen weten wat betaald werk betekent voor mensen met psychische klachten. En welke steun op het werk helpt.",
    ),
    (
        "use_of_results",
        "We gebruiken de uitkomsten in gesprekken met werkgevers en het ministerie. Zo vragen we om betere steun op het werk. U krijgt de uitkomsten van ons.",
    ),
    ("questions[0].text", "Heeft u nu betaald werk?"),
    ("questions[0].options[0].label", "Ja"),
    ("questions[0].options[1].label", "Nee"),
    ("questions[1].text", "Wat doet uw werk met uw leven?"),
    (
        "questions[1].help",
        "Denk aan hoe u zich voelt, uw geld en uw contact met anderen.",
    ),
    (
        "questions[1].options[0].label",
        "Mijn leven is beter door mijn werk",
    ),
    (
        "questions[1].options[1].label",
        "Mijn werk maakt niet veel uit",
    ),
    (
        "questions[1].options[2].label",
        "Mijn leven is slechter door mijn werk",
    ),
    (
        "questions[2].text",
        "Welk cijfer geeft u de steun van uw werkgever?",
    ),
    ("questions[2].help", "1 is heel slecht. 10 is heel goed."),
    ("questions[3].text", "Welke steun helpt u het meest?"),
    ("questions[3].help", "U mag meer dan één antwoord kiezen."),
    (
        "questions[3].options[0].label",
        "Een vast gesprek met mijn leidinggevende",
    ),
    (
        "questions[3].options[1].label",
        "Minder uren of andere werktijden",
    ),
    ("questions[3].options[2].label", "Een jobcoach"),
    (
        "questions[3].options[3].label",
        "Een collega bij wie ik terecht kan",
    ),
    ("questions[3].options[4].label", "Ik heb geen steun nodig"),
    ("questions[3].other.label", "Iets anders, namelijk:"),
    ("questions[4].text", "Hoeveel uur per week werkt u?"),
    ("questions[4].unit", "uur per week"),
    (
        "questions[5].text",
        "Ik weet zeker dat mijn geld goed blijft als ik meer ga werken.",
    ),
    ("questions[5].labels[0]", "Helemaal oneens"),
    ("questions[5].labels[1]", "Oneens"),
    ("questions[5].labels[2]", "Niet eens en niet oneens"),
    ("questions[5].labels[3]", "Eens"),
    ("questions[5].labels[4]", "Helemaal eens"),
    (
        "questions[6].text",
        "Wat kan beter aan de steun op het werk?",
    ),
];

/// Every text of the reference `examples/flitspeiling.json`.
pub(super) const FLITSPEILING: &[(&str, &str)] = &[
    ("title", "Korte vraag over reiskosten"),
    (
        "purpose",
        "We willen snel weten of reiskosten een drempel zijn om te gaan werken.",
    ),
    (
        "use_of_results",
        "We delen de uitkomst met gemeenten in het overleg over reiskosten. U leest de uitkomst op onze website.",
    ),
    (
        "questions[0].text",
        "Zijn reiskosten voor u een reden om niet te gaan werken?",
    ),
    ("questions[0].options[0].label", "Ja"),
    ("questions[0].options[1].label", "Soms"),
    ("questions[0].options[2].label", "Nee"),
    ("questions[1].text", "Wilt u dit uitleggen?"),
];

/// The member-facing texts of the reference `examples/panel.json`.
pub(super) const PANEL: &[(&str, &str)] = &[
    ("name", "Ervaringspanel werk en ggz"),
    (
        "background_variables[0].question",
        "Hoe doet u mee aan het panel?",
    ),
    (
        "background_variables[0].categories[0].label",
        "Ik heb zelf psychische klachten (gehad)",
    ),
    (
        "background_variables[0].categories[1].label",
        "Ik ben naaste van iemand met psychische klachten",
    ),
    ("background_variables[1].question", "Hoe oud bent u?"),
    (
        "background_variables[1].categories[0].label",
        "18 tot 35 jaar",
    ),
    (
        "background_variables[1].categories[1].label",
        "35 tot 55 jaar",
    ),
    (
        "background_variables[1].categories[2].label",
        "55 jaar of ouder",
    ),
    (
        "background_variables[2].question",
        "Wat doet u nu het meest?",
    ),
    (
        "background_variables[2].categories[0].label",
        "Ik heb een uitkering en geen werk",
    ),
    (
        "background_variables[2].categories[1].label",
        "Ik ga naar dagbesteding",
    ),
    (
        "background_variables[2].categories[2].label",
        "Ik heb beschut werk",
    ),
    (
        "background_variables[2].categories[3].label",
        "Ik werk via de banenafspraak",
    ),
    (
        "background_variables[2].categories[4].label",
        "Ik heb gewoon betaald werk",
    ),
    (
        "background_variables[2].categories[5].label",
        "Ik doe vrijwilligerswerk",
    ),
    (
        "background_variables[3].question",
        "In welk deel van Nederland woont u?",
    ),
    (
        "background_variables[3].categories[0].label",
        "Noord (Groningen, Friesland, Drenthe)",
    ),
    (
        "background_variables[3].categories[1].label",
        "Oost (Overijssel, Gelderland, Flevoland)",
    ),
    (
        "background_variables[3].categories[2].label",
        "West (Utrecht, Noord-Holland, Zuid-Holland, Zeeland)",
    ),
    (
        "background_variables[3].categories[3].label",
        "Zuid (Noord-Brabant, Limburg)",
    ),
];
