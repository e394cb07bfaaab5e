"""Demo data set: real public facts about the aggression against Ukraine, as plain data.

Every fact comes from a public source cited in EVIDENCE: EU Council Regulation (EU) No 269/2014 Annex I
(statements of reasons, listing dates, birth dates), the OFAC SDN list of 3 May 2024 (uids, birth dates),
UN General Assembly resolutions, official Kremlin, Belarusian and DPRK (KCNA) statements and news reports of
them. Unknown details are None. services/demo.py loads this module into the database.
"""

from __future__ import annotations

STATES = [
    {"code": "RU", "name": "Russian Federation", "role": "aggressor"},
    {"code": "BY", "name": "Republic of Belarus", "role": "co_aggressor_territory"},
    {"code": "KP", "name": "Democratic People's Republic of Korea", "role": "participant_forces"},
    {"code": "UA", "name": "Ukraine", "role": "victim"},
]

INSTITUTIONS = [
    {
        "key": "ru-president",
        "state": "RU",
        "name": "President of the Russian Federation",
        "native_name": "Президент Российской Федерации",
        "kind": "head_of_state_office",
        "parent": None,
    },
    {
        "key": "ru-pa",
        "state": "RU",
        "name": "Presidential Executive Office of the Russian Federation",
        "native_name": "Администрация Президента Российской Федерации",
        "kind": "head_of_state_office",
        "parent": "ru-president",
    },
    {
        "key": "ru-government",
        "state": "RU",
        "name": "Government of the Russian Federation",
        "native_name": "Правительство Российской Федерации",
        "kind": "government",
        "parent": None,
    },
    {
        "key": "ru-security-council",
        "state": "RU",
        "name": "Security Council of the Russian Federation",
        "native_name": "Совет Безопасности Российской Федерации",
        "kind": "security_council",
        "parent": None,
    },
    {
        "key": "ru-federation-council",
        "state": "RU",
        "name": "Federation Council of the Federal Assembly of the Russian Federation",
        "native_name": "Совет Федерации Федерального Собрания Российской Федерации",
        "kind": "parliament_chamber",
        "parent": None,
    },
    {
        "key": "ru-state-duma",
        "state": "RU",
        "name": "State Duma of the Federal Assembly of the Russian Federation",
        "native_name": "Государственная Дума Федерального Собрания Российской Федерации",
        "kind": "parliament_chamber",
        "parent": None,
    },
    {
        "key": "ru-mod",
        "state": "RU",
        "name": "Ministry of Defence of the Russian Federation",
        "native_name": "Министерство обороны Российской Федерации",
        "kind": "ministry",
        "parent": "ru-government",
    },
    {
        "key": "ru-general-staff",
        "state": "RU",
        "name": "General Staff of the Armed Forces of the Russian Federation",
        "native_name": "Генеральный штаб Вооружённых Сил Российской Федерации",
        "kind": "military_command",
        "parent": "ru-mod",
    },
    {
        "key": "ru-mfa",
        "state": "RU",
        "name": "Ministry of Foreign Affairs of the Russian Federation",
        "native_name": "Министерство иностранных дел Российской Федерации",
        "kind": "ministry",
        "parent": "ru-government",
    },
    {
        "key": "ru-fsb",
        "state": "RU",
        "name": "Federal Security Service of the Russian Federation",
        "native_name": "Федеральная служба безопасности Российской Федерации",
        "kind": "other",
        "parent": None,
    },
    {
        "key": "ru-svr",
        "state": "RU",
        "name": "Foreign Intelligence Service of the Russian Federation",
        "native_name": "Служба внешней разведки Российской Федерации",
        "kind": "other",
        "parent": None,
    },
    {
        "key": "by-president",
        "state": "BY",
        "name": "President of the Republic of Belarus",
        "native_name": "Президент Республики Беларусь",
        "kind": "head_of_state_office",
        "parent": None,
    },
    {
        "key": "by-government",
        "state": "BY",
        "name": "Council of Ministers of the Republic of Belarus",
        "native_name": "Совет Министров Республики Беларусь",
        "kind": "government",
        "parent": None,
    },
    {
        "key": "by-security-council",
        "state": "BY",
        "name": "Security Council of the Republic of Belarus",
        "native_name": "Совет Безопасности Республики Беларусь",
        "kind": "security_council",
        "parent": None,
    },
    {
        "key": "by-mod",
        "state": "BY",
        "name": "Ministry of Defence of the Republic of Belarus",
        "native_name": "Министерство обороны Республики Беларусь",
        "kind": "ministry",
        "parent": "by-government",
    },
    {
        "key": "by-general-staff",
        "state": "BY",
        "name": "General Staff of the Armed Forces of the Republic of Belarus",
        "native_name": "Генеральный штаб Вооружённых Сил Республики Беларусь",
        "kind": "military_command",
        "parent": "by-mod",
    },
    {
        "key": "by-mfa",
        "state": "BY",
        "name": "Ministry of Foreign Affairs of the Republic of Belarus",
        "native_name": "Министерство иностранных дел Республики Беларусь",
        "kind": "ministry",
        "parent": "by-government",
    },
    {
        "key": "kp-sac",
        "state": "KP",
        "name": "State Affairs Commission of the DPRK",
        "native_name": "국무위원회",
        "kind": "head_of_state_office",
        "parent": None,
    },
    {
        "key": "kp-wpk-cc",
        "state": "KP",
        "name": "Central Committee of the Workers' Party of Korea",
        "native_name": "조선로동당 중앙위원회",
        "kind": "party_organ",
        "parent": None,
    },
    {
        "key": "kp-wpk-cmc",
        "state": "KP",
        "name": "Central Military Commission of the Workers' Party of Korea",
        "native_name": "조선로동당 중앙군사위원회",
        "kind": "party_organ",
        "parent": "kp-wpk-cc",
    },
    {
        "key": "kp-cabinet",
        "state": "KP",
        "name": "Cabinet of the DPRK",
        "native_name": "내각",
        "kind": "government",
        "parent": None,
    },
    {
        "key": "kp-mnd",
        "state": "KP",
        "name": "Ministry of National Defence of the DPRK",
        "native_name": "국방성",
        "kind": "ministry",
        "parent": None,
    },
    {
        "key": "kp-kpa-gs",
        "state": "KP",
        "name": "General Staff of the Korean People's Army",
        "native_name": "조선인민군 총참모부",
        "kind": "military_command",
        "parent": None,
    },
    {
        "key": "kp-mfa",
        "state": "KP",
        "name": "Ministry of Foreign Affairs of the DPRK",
        "native_name": "외무성",
        "kind": "ministry",
        "parent": "kp-cabinet",
    },
    {
        "key": "kp-rgb",
        "state": "KP",
        "name": "Reconnaissance General Bureau",
        "native_name": "정찰총국",
        "kind": "military_command",
        "parent": None,
    },
]

POSITIONS = [
    {
        "key": "ru-president-post",
        "institution": "ru-president",
        "title": "President of the Russian Federation",
        "tier": "leadership",
        "troika": "head_of_state",
    },
    {
        "key": "ru-pa-first-deputy",
        "institution": "ru-pa",
        "title": "First Deputy Chief of Staff of the Presidential Executive Office",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-press-secretary",
        "institution": "ru-pa",
        "title": "Press Secretary of the President of the Russian Federation",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-pm",
        "institution": "ru-government",
        "title": "Chairman of the Government (Prime Minister)",
        "tier": "leadership",
        "troika": "head_of_government",
    },
    {
        "key": "ru-first-deputy-pm",
        "institution": "ru-government",
        "title": "First Deputy Chairman of the Government",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-sc-secretary",
        "institution": "ru-security-council",
        "title": "Secretary of the Security Council",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-sc-deputy-chair",
        "institution": "ru-security-council",
        "title": "Deputy Chairman of the Security Council",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-fc-chair",
        "institution": "ru-federation-council",
        "title": "Chair of the Federation Council",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-fc-member",
        "institution": "ru-federation-council",
        "title": "Member of the Federation Council",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-duma-chair",
        "institution": "ru-state-duma",
        "title": "Chairman of the State Duma",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-duma-deputy",
        "institution": "ru-state-duma",
        "title": "Deputy of the State Duma",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-mod-minister",
        "institution": "ru-mod",
        "title": "Minister of Defence",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-cgs",
        "institution": "ru-general-staff",
        "title": "Chief of the General Staff and First Deputy Minister of Defence",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-mfa-minister",
        "institution": "ru-mfa",
        "title": "Minister of Foreign Affairs",
        "tier": "leadership",
        "troika": "foreign_minister",
    },
    {
        "key": "ru-mfa-deputy",
        "institution": "ru-mfa",
        "title": "Deputy Minister of Foreign Affairs",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "ru-fsb-director",
        "institution": "ru-fsb",
        "title": "Director of the Federal Security Service",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "ru-svr-director",
        "institution": "ru-svr",
        "title": "Director of the Foreign Intelligence Service",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "by-president-post",
        "institution": "by-president",
        "title": "President of the Republic of Belarus",
        "tier": "leadership",
        "troika": "head_of_state",
    },
    {
        "key": "by-pm",
        "institution": "by-government",
        "title": "Prime Minister of the Republic of Belarus",
        "tier": "leadership",
        "troika": "head_of_government",
    },
    {
        "key": "by-sc-state-secretary",
        "institution": "by-security-council",
        "title": "State Secretary of the Security Council",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "by-sc-first-deputy",
        "institution": "by-security-council",
        "title": "First Deputy State Secretary of the Security Council",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "by-mod-minister",
        "institution": "by-mod",
        "title": "Minister of Defence",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "by-cgs",
        "institution": "by-general-staff",
        "title": "Chief of the General Staff and First Deputy Minister of Defence",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "by-mfa-minister",
        "institution": "by-mfa",
        "title": "Minister of Foreign Affairs",
        "tier": "leadership",
        "troika": "foreign_minister",
    },
    {
        "key": "kp-sac-president",
        "institution": "kp-sac",
        "title": "President of the State Affairs (Chairman of the State Affairs Commission)",
        "tier": "leadership",
        "troika": "head_of_state",
    },
    {
        "key": "kp-wpk-gensec",
        "institution": "kp-wpk-cc",
        "title": "General Secretary of the Workers' Party of Korea",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "kp-cmc-chair",
        "institution": "kp-wpk-cmc",
        "title": "Chairman of the Central Military Commission",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "kp-premier",
        "institution": "kp-cabinet",
        "title": "Premier of the Cabinet",
        "tier": "leadership",
        "troika": "head_of_government",
    },
    {
        "key": "kp-mfa-minister",
        "institution": "kp-mfa",
        "title": "Minister of Foreign Affairs",
        "tier": "leadership",
        "troika": "foreign_minister",
    },
    {
        "key": "kp-mnd-minister",
        "institution": "kp-mnd",
        "title": "Minister of National Defence",
        "tier": "leadership",
        "troika": None,
    },
    {
        "key": "kp-deputy-cgs",
        "institution": "kp-kpa-gs",
        "title": "Deputy Chief of the General Staff of the Korean People's Army",
        "tier": "senior",
        "troika": None,
    },
    {
        "key": "kp-rgb-director",
        "institution": "kp-rgb",
        "title": "Director of the Reconnaissance General Bureau",
        "tier": "senior",
        "troika": None,
    },
]

OFFICIALS = [
    {
        "key": "putin",
        "state": "RU",
        "name": "Vladimir Putin",
        "native_name": "Владимир Владимирович Путин",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1952-10-07",
        "gender": "male",
        "aliases": [
            {"name": "Vladimir Vladimirovich Putin", "script": "Latn", "lang": "en"},
            {"name": "Путин Владимир Владимирович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "669"}, {"scheme": "ofac_sdn", "value": "35096"}],
    },
    {
        "key": "mishustin",
        "state": "RU",
        "name": "Mikhail Mishustin",
        "native_name": "Михаил Владимирович Мишустин",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1966",
        "gender": "male",
        "aliases": [
            {"name": "Mikhail Vladimirovich Mishustin", "script": "Latn", "lang": "en"},
            {"name": "Мишустин Михаил Владимирович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "645"}, {"scheme": "ofac_sdn", "value": "35282"}],
    },
    {
        "key": "lavrov",
        "state": "RU",
        "name": "Sergei Lavrov",
        "native_name": "Сергей Викторович Лавров",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1950-03-21",
        "gender": "male",
        "aliases": [
            {"name": "Sergey Viktorovich Lavrov", "script": "Latn", "lang": "en"},
            {"name": "Sergey Lavrov", "script": "Latn", "lang": "en"},
            {"name": "Лавров Сергей Викторович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "670"}, {"scheme": "ofac_sdn", "value": "35233"}],
    },
    {
        "key": "shoigu",
        "state": "RU",
        "name": "Sergei Shoigu",
        "native_name": "Сергей Кужугетович Шойгу",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1955-05-21",
        "gender": "male",
        "aliases": [
            {"name": "Sergey Shoygu", "script": "Latn", "lang": "en"},
            {"name": "Sergei Kuzhugetovich Shoigu", "script": "Latn", "lang": "en"},
            {"name": "Шойгу Сергей Кужугетович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "212"}, {"scheme": "ofac_sdn", "value": "35173"}],
    },
    {
        "key": "gerasimov",
        "state": "RU",
        "name": "Valery Gerasimov",
        "native_name": "Валерий Васильевич Герасимов",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1955-09-08",
        "gender": "male",
        "aliases": [
            {"name": "Valery Vasilevich Gerasimov", "script": "Latn", "lang": "en"},
            {"name": "Valeriy Gerasimov", "script": "Latn", "lang": "en"},
            {"name": "Герасимов Валерий Васильевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "42"}, {"scheme": "ofac_sdn", "value": "35176"}],
    },
    {
        "key": "patrushev",
        "state": "RU",
        "name": "Nikolai Patrushev",
        "native_name": "Николай Платонович Патрушев",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1951-07-11",
        "gender": "male",
        "aliases": [
            {"name": "Nikolai Platonovich Patrushev", "script": "Latn", "lang": "en"},
            {"name": "Nikolay Patrushev", "script": "Latn", "lang": "en"},
            {"name": "Патрушев Николай Платонович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "74"}, {"scheme": "ofac_sdn", "value": "24309"}],
    },
    {
        "key": "medvedev",
        "state": "RU",
        "name": "Dmitry Medvedev",
        "native_name": "Дмитрий Анатольевич Медведев",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1965-09-14",
        "gender": "male",
        "aliases": [
            {"name": "Dmitry Anatolyevich Medvedev", "script": "Latn", "lang": "en"},
            {"name": "Dmitriy Medvedev", "script": "Latn", "lang": "en"},
            {"name": "Медведев Дмитрий Анатольевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "644"}, {"scheme": "ofac_sdn", "value": "36407"}],
    },
    {
        "key": "matviyenko",
        "state": "RU",
        "name": "Valentina Matviyenko",
        "native_name": "Валентина Ивановна Матвиенко",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1949-04-07",
        "gender": "female",
        "aliases": [
            {"name": "Valentina Matvienko", "script": "Latn", "lang": "en"},
            {"name": "Valentina Ivanovna Matviyenko", "script": "Latn", "lang": "en"},
            {"name": "Матвиенко Валентина Ивановна", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "24"}, {"scheme": "ofac_sdn", "value": "16660"}],
    },
    {
        "key": "volodin",
        "state": "RU",
        "name": "Vyacheslav Volodin",
        "native_name": "Вячеслав Викторович Володин",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1964-02-04",
        "gender": "male",
        "aliases": [
            {"name": "Vyacheslav Viktorovich Volodin", "script": "Latn", "lang": "en"},
            {"name": "Vyacheslav Victorovich Volodin", "script": "Latn", "lang": "en"},
            {"name": "Володин Вячеслав Викторович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "49"}, {"scheme": "ofac_sdn", "value": "16714"}],
    },
    {
        "key": "belousov",
        "state": "RU",
        "name": "Andrei Belousov",
        "native_name": "Андрей Рэмович Белоусов",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1959-03-17",
        "gender": "male",
        "aliases": [
            {"name": "Andrey Removich Belousov", "script": "Latn", "lang": "en"},
            {"name": "Andrei Removich Belousov", "script": "Latn", "lang": "en"},
            {"name": "Белоусов Андрей Рэмович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "1207"}, {"scheme": "ofac_sdn", "value": "39361"}],
    },
    {
        "key": "peskov",
        "state": "RU",
        "name": "Dmitry Peskov",
        "native_name": "Дмитрий Сергеевич Песков",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1967-10-17",
        "gender": "male",
        "aliases": [
            {"name": "Dmitry Sergeyevich Peskov", "script": "Latn", "lang": "en"},
            {"name": "Dmitriy Sergeevich Peskov", "script": "Latn", "lang": "en"},
            {"name": "Dmitri Peskov", "script": "Latn", "lang": "en"},
            {"name": "Песков Дмитрий Сергеевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "677"}, {"scheme": "ofac_sdn", "value": "35320"}],
    },
    {
        "key": "naryshkin",
        "state": "RU",
        "name": "Sergei Naryshkin",
        "native_name": "Сергей Евгеньевич Нарышкин",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1954-10-27",
        "gender": "male",
        "aliases": [
            {"name": "Sergei Evgenevich Naryshkin", "script": "Latn", "lang": "en"},
            {"name": "Sergey Yevgenyevich Naryshkin", "script": "Latn", "lang": "en"},
            {"name": "Нарышкин Сергей Евгеньевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "25"}, {"scheme": "ofac_sdn", "value": "16691"}],
    },
    {
        "key": "bortnikov",
        "state": "RU",
        "name": "Alexander Bortnikov",
        "native_name": "Александр Васильевич Бортников",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1951-11-15",
        "gender": "male",
        "aliases": [
            {"name": "Aleksandr Vasilievich Bortnikov", "script": "Latn", "lang": "en"},
            {"name": "Alexander Vasilievich Bortnikov", "script": "Latn", "lang": "en"},
            {"name": "Бортников Александр Васильевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "75"}, {"scheme": "ofac_sdn", "value": "31126"}],
    },
    {
        "key": "zyuganov",
        "state": "RU",
        "name": "Gennady Zyuganov",
        "native_name": "Геннадий Андреевич Зюганов",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1944-06-26",
        "gender": "male",
        "aliases": [
            {"name": "Gennady Andreevich Zyuganov", "script": "Latn", "lang": "en"},
            {"name": "Gennady Andreyevich Zyuganov", "script": "Latn", "lang": "en"},
            {"name": "Зюганов Геннадий Андреевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "235"}, {"scheme": "ofac_sdn", "value": "35238"}],
    },
    {
        "key": "dzhabarov",
        "state": "RU",
        "name": "Vladimir Dzhabarov",
        "native_name": "Владимир Михайлович Джабаров",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1952-09-29",
        "gender": "male",
        "aliases": [
            {"name": "Vladimir Michailovich Dzhabarov", "script": "Latn", "lang": "en"},
            {"name": "Vladimir Mikhailovich Dzhabarov", "script": "Latn", "lang": "en"},
            {"name": "Джабаров Владимир Михайлович", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "10"}, {"scheme": "ofac_sdn", "value": "16665"}],
    },
    {
        "key": "ryabkov",
        "state": "RU",
        "name": "Sergei Ryabkov",
        "native_name": "Сергей Алексеевич Рябков",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": None,
        "gender": "male",
        "aliases": [
            {"name": "Sergey Ryabkov", "script": "Latn", "lang": "en"},
            {"name": "Sergei Riabkov", "script": "Latn", "lang": "en"},
            {"name": "Рябков Сергей Алексеевич", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [],
    },
    {
        "key": "lukashenko",
        "state": "BY",
        "name": "Alexander Lukashenko",
        "native_name": "Александр Григорьевич Лукашенко",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1954-08",
        "gender": "male",
        "aliases": [
            {"name": "Аляксандр Рыгоравіч Лукашэнка", "script": "Cyrl", "lang": "be"},
            {"name": "Alyaksandr Ryhorovich Lukashenka", "script": "Latn", "lang": "en"},
            {"name": "Aliaksandr Lukashenka", "script": "Latn", "lang": "en"},
            {"name": "Aleksandr Lukashenko", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "ofac_sdn", "value": "9760"}],
    },
    {
        "key": "khrenin",
        "state": "BY",
        "name": "Viktor Khrenin",
        "native_name": "Виктор Геннадьевич Хренин",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1971-08-01",
        "gender": "male",
        "aliases": [
            {"name": "Віктар Генадзьевіч Хрэнін", "script": "Cyrl", "lang": "be"},
            {"name": "Viktor Gennadievich Khrenin", "script": "Latn", "lang": "en"},
            {"name": "Viktar Khrenin", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "ofac_sdn", "value": "34746"}],
    },
    {
        "key": "volfovich",
        "state": "BY",
        "name": "Aleksandr Volfovich",
        "native_name": "Александр Григорьевич Вольфович",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1967-06-28",
        "gender": "male",
        "aliases": [
            {"name": "Аляксандр Рыгоравіч Вольфовіч", "script": "Cyrl", "lang": "be"},
            {"name": "Aleksandr Grigoryevich Volfovich", "script": "Latn", "lang": "en"},
            {"name": "Aleksandr Grigorievich Volfovich", "script": "Latn", "lang": "en"},
            {"name": "Alexander Volfovich", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "659"}, {"scheme": "ofac_sdn", "value": "34976"}],
    },
    {
        "key": "gulevich",
        "state": "BY",
        "name": "Viktor Gulevich",
        "native_name": "Виктор Владимирович Гулевич",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1969-05-14",
        "gender": "male",
        "aliases": [
            {"name": "Віктар Уладзіміравіч Гулевіч", "script": "Cyrl", "lang": "be"},
            {"name": "Viktor Vladimirovich Gulevich", "script": "Latn", "lang": "en"},
            {"name": "Viktar Hulevich", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "658"}],
    },
    {
        "key": "makei",
        "state": "BY",
        "name": "Vladimir Makei",
        "native_name": "Владимир Владимирович Макей",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": None,
        "gender": "male",
        "aliases": [
            {"name": "Уладзімір Уладзіміравіч Макей", "script": "Cyrl", "lang": "be"},
            {"name": "Uladzimir Makei", "script": "Latn", "lang": "en"},
            {"name": "Uladzimir Makey", "script": "Latn", "lang": "en"},
            {"name": "Vladimir Makey", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [],
    },
    {
        "key": "muraveiko",
        "state": "BY",
        "name": "Pavel Muraveiko",
        "native_name": "Павел Николаевич Муравейко",
        "native_script": "Cyrl",
        "native_lang": "ru",
        "birth_date": "1971-09-26",
        "gender": "male",
        "aliases": [
            {"name": "Павел Мікалаевіч Муравейка", "script": "Cyrl", "lang": "be"},
            {"name": "Pavel Nikolaevich Muraveiko", "script": "Latn", "lang": "en"},
            {"name": "Pavel Mikalaevich Muraveika", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "1588"}],
    },
    {
        "key": "kim-jong-un",
        "state": "KP",
        "name": "Kim Jong Un",
        "native_name": "김정은",
        "native_script": "Hang",
        "native_lang": "ko",
        "birth_date": "1984-01-08",
        "gender": "male",
        "aliases": [
            {"name": "Kim Jong-un", "script": "Latn", "lang": "en"},
            {"name": "KIM, Jong Un", "script": "Latn", "lang": "en"},
            {"name": "Ким Чен Ын", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "ofac_sdn", "value": "20157"}],
    },
    {
        "key": "choe-son-hui",
        "state": "KP",
        "name": "Choe Son Hui",
        "native_name": "최선희",
        "native_script": "Hang",
        "native_lang": "ko",
        "birth_date": None,
        "gender": "female",
        "aliases": [
            {"name": "Choe Son-hui", "script": "Latn", "lang": "en"},
            {"name": "Цой Сон Хи", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [],
    },
    {
        "key": "no-kwang-chol",
        "state": "KP",
        "name": "No Kwang Chol",
        "native_name": "노광철",
        "native_script": "Hang",
        "native_lang": "ko",
        "birth_date": "1956",
        "gender": "male",
        "aliases": [
            {"name": "No Kwang-chol", "script": "Latn", "lang": "en"},
            {"name": "NO Kwang Chol", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "1869"}],
    },
    {
        "key": "kim-yong-bok",
        "state": "KP",
        "name": "Kim Yong Bok",
        "native_name": "김영복",
        "native_script": "Hang",
        "native_lang": "ko",
        "birth_date": None,
        "gender": "male",
        "aliases": [
            {"name": "Kim Yong-bok", "script": "Latn", "lang": "en"},
            {"name": "KIM Young Bok", "script": "Latn", "lang": "en"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "1868"}],
    },
    {
        "key": "ri-chang-ho",
        "state": "KP",
        "name": "Ri Chang Ho",
        "native_name": "리창호",
        "native_script": "Hang",
        "native_lang": "ko",
        "birth_date": "1967",
        "gender": "male",
        "aliases": [
            {"name": "LEE Chang Ho", "script": "Latn", "lang": "en"},
            {"name": "RI, Chang Ho", "script": "Latn", "lang": "en"},
            {"name": "RHEE, Chang Ho", "script": "Latn", "lang": "en"},
            {"name": "ЛИ Чхан Хо", "script": "Cyrl", "lang": "ru"},
        ],
        "identifiers": [{"scheme": "eu_269_2014", "value": "1900"}],
    },
]

TENURES = [
    {
        "key": "putin-president-2012",
        "official": "putin",
        "position": "ru-president-post",
        "start": "2012-05-07",
        "end": None,
    },
    {"key": "mishustin-pm-2020", "official": "mishustin", "position": "ru-pm", "start": "2020-01-16", "end": None},
    {"key": "lavrov-mfa-2004", "official": "lavrov", "position": "ru-mfa-minister", "start": "2004-03-09", "end": None},
    {
        "key": "shoigu-mod-2012",
        "official": "shoigu",
        "position": "ru-mod-minister",
        "start": "2012-11-06",
        "end": "2024-05-12",
    },
    {"key": "shoigu-sc-2024", "official": "shoigu", "position": "ru-sc-secretary", "start": "2024-05-12", "end": None},
    {"key": "gerasimov-cgs-2012", "official": "gerasimov", "position": "ru-cgs", "start": "2012-11-09", "end": None},
    {
        "key": "patrushev-sc-2008",
        "official": "patrushev",
        "position": "ru-sc-secretary",
        "start": "2008-05-12",
        "end": "2024-05",
    },
    {"key": "medvedev-pm-2012", "official": "medvedev", "position": "ru-pm", "start": "2012-05-08", "end": "2020-01"},
    {
        "key": "medvedev-sc-2020",
        "official": "medvedev",
        "position": "ru-sc-deputy-chair",
        "start": "2020-01-16",
        "end": None,
    },
    {
        "key": "matviyenko-fc-2011",
        "official": "matviyenko",
        "position": "ru-fc-chair",
        "start": "2011-09-21",
        "end": None,
    },
    {
        "key": "volodin-pa-2011",
        "official": "volodin",
        "position": "ru-pa-first-deputy",
        "start": "2011-12",
        "end": "2016-10",
    },
    {
        "key": "volodin-duma-2016",
        "official": "volodin",
        "position": "ru-duma-chair",
        "start": "2016-10-05",
        "end": None,
    },
    {
        "key": "belousov-fdpm-2020",
        "official": "belousov",
        "position": "ru-first-deputy-pm",
        "start": "2020-01",
        "end": "2024-05",
    },
    {
        "key": "belousov-mod-2024",
        "official": "belousov",
        "position": "ru-mod-minister",
        "start": "2024-05-14",
        "end": None,
    },
    {
        "key": "peskov-press-2012",
        "official": "peskov",
        "position": "ru-press-secretary",
        "start": "2012-05",
        "end": None,
    },
    {
        "key": "naryshkin-duma-2011",
        "official": "naryshkin",
        "position": "ru-duma-chair",
        "start": "2011-12-21",
        "end": "2016-10-05",
    },
    {
        "key": "naryshkin-svr-2016",
        "official": "naryshkin",
        "position": "ru-svr-director",
        "start": "2016-10",
        "end": None,
    },
    {
        "key": "bortnikov-fsb-2008",
        "official": "bortnikov",
        "position": "ru-fsb-director",
        "start": "2008-05-12",
        "end": None,
    },
    {"key": "zyuganov-duma-1993", "official": "zyuganov", "position": "ru-duma-deputy", "start": "1993", "end": None},
    {"key": "ryabkov-mfa-2008", "official": "ryabkov", "position": "ru-mfa-deputy", "start": "2008", "end": None},
    {
        "key": "lukashenko-president-1994",
        "official": "lukashenko",
        "position": "by-president-post",
        "start": "1994-07-20",
        "end": None,
    },
    {"key": "khrenin-mod-2020", "official": "khrenin", "position": "by-mod-minister", "start": "2020-01", "end": None},
    {
        "key": "volfovich-sc-2021",
        "official": "volfovich",
        "position": "by-sc-state-secretary",
        "start": "2021",
        "end": None,
    },
    {"key": "gulevich-cgs-2014", "official": "gulevich", "position": "by-cgs", "start": "2014", "end": "2024"},
    {
        "key": "makei-mfa-2012",
        "official": "makei",
        "position": "by-mfa-minister",
        "start": "2012-08",
        "end": "2022-11-26",
    },
    {
        "key": "kim-sac-2016",
        "official": "kim-jong-un",
        "position": "kp-sac-president",
        "start": "2016-06-29",
        "end": None,
    },
    {"key": "kim-wpk-2021", "official": "kim-jong-un", "position": "kp-wpk-gensec", "start": "2021-01-10", "end": None},
    {"key": "kim-cmc-2012", "official": "kim-jong-un", "position": "kp-cmc-chair", "start": "2012-04", "end": None},
    {
        "key": "choe-mfa-2022",
        "official": "choe-son-hui",
        "position": "kp-mfa-minister",
        "start": "2022-06",
        "end": None,
    },
    {"key": "no-mnd-2024", "official": "no-kwang-chol", "position": "kp-mnd-minister", "start": "2024-10", "end": None},
]

ACTS = [
    {
        "key": "crimea-2014",
        "title": "Occupation and purported annexation of Crimea",
        "categories": ["a"],
        "states": ["RU"],
        "start": "2014-02-20",
        "end": None,
        "description": (
            "Occupation of the Autonomous Republic of Crimea and Sevastopol by Russian armed forces from 20 February "
            "2014 (the start date fixed by Ukrainian law) and their purported incorporation into the Russian "
            "Federation by the 'treaty' of 18 March 2014."
        ),
    },
    {
        "key": "invasion-2022",
        "title": "Full-scale invasion of Ukraine",
        "categories": ["a", "b"],
        "states": ["RU"],
        "start": "2022-02-24",
        "end": None,
        "description": (
            "Invasion of Ukraine by the armed forces of the Russian Federation and missile and air strikes against "
            "Ukrainian territory, announced in the address of 24 February 2022 as a 'special military operation'."
        ),
    },
    {
        "key": "annexation-2022",
        "title": "Purported annexation of the Donetsk, Luhansk, Zaporizhzhia and Kherson regions",
        "categories": ["a"],
        "states": ["RU"],
        "start": "2022-09-30",
        "end": None,
        "description": (
            "Purported incorporation of four partly occupied regions of Ukraine into the Russian Federation by "
            "'treaties' signed in the Kremlin on 30 September 2022 and ratified in October 2022."
        ),
    },
    {
        "key": "belarus-territory-2022",
        "title": "Use of Belarusian territory for the invasion of Ukraine",
        "categories": ["f"],
        "states": ["BY"],
        "start": "2022-02-24",
        "end": None,
        "description": (
            "Belarus allowed Russian forces deployed on its territory for the 'Allied Resolve 2022' exercise to remain "
            "there and to invade Ukraine and launch missiles from Belarusian territory from 24 February 2022."
        ),
    },
    {
        "key": "dprk-kursk-2024",
        "title": "Deployment of DPRK armed forces to the Kursk region",
        "categories": ["a", "g"],
        "states": ["KP"],
        "start": "2024-10",
        "end": None,
        "description": (
            "Sending of units of the armed forces of the DPRK to fight alongside Russian forces in Russia's Kursk "
            "region, acknowledged by Russia and the DPRK on 26-28 April 2025."
        ),
    },
]

# The character, gravity and scale of each act (element E5), each with evidence in SUPPORTS
# (target "act key|aspect"). Belarus's scale is left unrecorded, and the DPRK's rests on a
# press report alone: the demo shows what is missing as well as what is proved.
ACT_ASSESSMENTS = [
    {
        "act": "crimea-2014",
        "aspect": "character",
        "finding": (
            "Occupation of Crimea by Russian armed forces without Ukraine's consent and its purported incorporation "
            "into the Russian Federation, which UNGA Res. 68/262 declares without validity."
        ),
    },
    {
        "act": "crimea-2014",
        "aspect": "gravity",
        "finding": (
            "Regular Russian armed forces were used to seize the territory of another State, as the President of the "
            "Russian Federation acknowledged on 17 April 2014."
        ),
    },
    {
        "act": "crimea-2014",
        "aspect": "scale",
        "finding": (
            "The whole of the Autonomous Republic of Crimea and the city of Sevastopol, admitted as two 'subjects' of "
            "the Russian Federation by Federal Constitutional Law No. 6-FKZ."
        ),
    },
    {
        "act": "invasion-2022",
        "aspect": "character",
        "finding": (
            "A full-scale invasion by the regular armed forces of the Russian Federation, announced on 24 February "
            "2022 as a 'special military operation'; the UN General Assembly deplored it as aggression in violation "
            "of Art. 2(4) of the Charter (Res. ES-11/1)."
        ),
    },
    {
        "act": "invasion-2022",
        "aspect": "gravity",
        "finding": (
            "Military operations across the territory of Ukraine that the International Court of Justice ordered the "
            "Russian Federation to suspend immediately (Order of 16 March 2022)."
        ),
    },
    {
        "act": "invasion-2022",
        "aspect": "scale",
        "finding": (
            "More than 12,000 civilians killed by the end of 2024 in the United Nations' verified count, and more "
            "than six million refugees from Ukraine recorded abroad."
        ),
    },
    {
        "act": "annexation-2022",
        "aspect": "character",
        "finding": (
            "Purported annexation of four regions of Ukraine after 'referendums' held under military occupation, "
            "which the UN General Assembly declared invalid (Res. ES-11/4)."
        ),
    },
    {
        "act": "annexation-2022",
        "aspect": "gravity",
        "finding": "Acquisition of another State's territory by the use of force, contrary to Art. 2(4) of the Charter.",
    },
    {
        "act": "annexation-2022",
        "aspect": "scale",
        "finding": (
            "The Donetsk, Luhansk, Zaporizhzhia and Kherson regions, each claimed in full although only partly "
            "occupied."
        ),
    },
    {
        "act": "belarus-territory-2022",
        "aspect": "character",
        "finding": (
            "Belarus allowed Russian forces on its territory to invade Ukraine (UNGA Res. 3314 Art. 3(f)); the UN "
            "General Assembly deplored its involvement in the unlawful use of force (Res. ES-11/1)."
        ),
    },
    {
        "act": "belarus-territory-2022",
        "aspect": "gravity",
        "finding": "Missiles were launched at Ukraine from Belarusian territory at the start of the invasion.",
    },
    {
        "act": "dprk-kursk-2024",
        "aspect": "character",
        "finding": (
            "Units of the DPRK armed forces were sent to fight alongside Russian forces against Ukraine (UNGA Res. "
            "3314 Art. 3(a) and (g)), on the order of the head of the DPRK."
        ),
    },
    {
        "act": "dprk-kursk-2024",
        "aspect": "gravity",
        "finding": "DPRK units took part in combat operations against Ukrainian forces in the Kursk region.",
    },
    {
        "act": "dprk-kursk-2024",
        "aspect": "scale",
        "finding": "About 11,000 troops by November 2024, according to the Republic of Korea's intelligence service.",
    },
]

DECISIONS = [
    {
        "key": "fc-consent-2014",
        "title": "Federation Council consent to the use of the armed forces on the territory of Ukraine",
        "kind": "military",
        "date": "2014-03-01",
        "institution": "ru-federation-council",
        "instrument": None,
        "summary": (
            "On 1 March 2014 the Federation Council granted the President's request for consent to use the Russian "
            "armed forces on the territory of Ukraine."
        ),
        "stage": "initiation",
        "acts": ["crimea-2014"],
    },
    {
        "key": "crimea-treaty-2014",
        "title": "Signature of the 'treaty' on the accession of Crimea to the Russian Federation",
        "kind": "political",
        "date": "2014-03-18",
        "institution": "ru-president",
        "instrument": (
            "Treaty between the Russian Federation and the Republic of Crimea on the admission of the Republic of "
            "Crimea into the Russian Federation, signed in Moscow on 18 March 2014"
        ),
        "summary": "Signed in the Kremlin on 18 March 2014 after the President's address to the Federal Assembly.",
        "stage": "execution",
        "acts": ["crimea-2014"],
    },
    {
        "key": "crimea-fkz-2014",
        "title": "Federal constitutional law admitting Crimea and Sevastopol into the Russian Federation",
        "kind": "political",
        "date": "2014-03-21",
        "institution": "ru-president",
        "instrument": "Federal Constitutional Law No. 6-FKZ of 21 March 2014",
        "summary": "Law creating two new 'federal subjects', the 'Republic of Crimea' and the city of Sevastopol.",
        "stage": "execution",
        "acts": ["crimea-2014"],
    },
    {
        "key": "duma-appeal-2022",
        "title": "State Duma appeal to the President to recognise the 'DPR' and 'LPR'",
        "kind": "political",
        "date": "2022-02-15",
        "institution": "ru-state-duma",
        "instrument": "State Duma resolution No. 58243-8 of 15 February 2022",
        "summary": (
            "Resolution 'On the appeal of the State Duma of the Federal Assembly of the Russian Federation to the "
            "President of the Russian Federation V.V. Putin on the need to recognize the Donetsk People's Republic and "
            "the Luhansk People's Republic'; the EU listed 335 deputies for voting for it."
        ),
        "stage": "preparation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "sc-meeting-2022",
        "title": "Security Council meeting on recognition of the 'DPR' and 'LPR'",
        "kind": "political",
        "date": "2022-02-21",
        "institution": "ru-security-council",
        "instrument": "Meeting of the Security Council of the Russian Federation, 21 February 2022",
        "summary": (
            "Televised meeting at which the permanent members spoke in favour of recognising the two self-proclaimed "
            "republics."
        ),
        "stage": "preparation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "recognition-decrees-2022",
        "title": "Recognition of the 'DPR' and 'LPR' as independent states",
        "kind": "political",
        "date": "2022-02-21",
        "institution": "ru-president",
        "instrument": "Presidential decrees of 21 February 2022 recognising the 'DPR' and the 'LPR'",
        "summary": (
            "Announced in the President's address of 21 February 2022 together with the signature of treaties of "
            "friendship, cooperation and mutual assistance with both entities (the EU statement of reasons dates the "
            "decree 22 February 2022)."
        ),
        "stage": "preparation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "duma-friendship-2022",
        "title": "State Duma ratification of the treaties with the 'DPR' and 'LPR'",
        "kind": "diplomatic",
        "date": "2022-02-22",
        "institution": "ru-state-duma",
        "instrument": None,
        "summary": (
            "Ratification of the 'Treaty of Friendship, Cooperation and Mutual Assistance' with the 'DPR' and with the "
            "'LPR'."
        ),
        "stage": "preparation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "fc-friendship-2022",
        "title": "Federation Council ratification of the treaties with the 'DPR' and 'LPR'",
        "kind": "diplomatic",
        "date": "2022-02-22",
        "institution": "ru-federation-council",
        "instrument": None,
        "summary": (
            "Ratification of the 'Treaty of Friendship, Cooperation and Mutual Assistance' with the 'DPR' and with the "
            "'LPR'."
        ),
        "stage": "preparation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "fc-consent-2022",
        "title": "Federation Council consent to the use of the armed forces outside Russia",
        "kind": "military",
        "date": "2022-02-22",
        "institution": "ru-federation-council",
        "instrument": "Resolution of the Federation Council of 22 February 2022",
        "summary": (
            "At the President's request the Federation Council consented (153 votes) to the use of the armed forces "
            "outside the territory of the Russian Federation; the resolution was signed by its Chair."
        ),
        "stage": "initiation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "address-2022",
        "title": "Announcement of the 'special military operation'",
        "kind": "military",
        "date": "2022-02-24",
        "institution": "ru-president",
        "instrument": "Address by the President of the Russian Federation, 24 February 2022",
        "summary": "Televised address announcing the decision to conduct a 'special military operation' in Ukraine.",
        "stage": "initiation",
        "acts": ["invasion-2022"],
    },
    {
        "key": "invasion-launch-2022",
        "title": "Launch of the military attack on Ukraine",
        "kind": "military",
        "date": "2022-02-24",
        "institution": "ru-mod",
        "instrument": None,
        "summary": "Russian armed forces began the attack on Ukraine on 24 February 2022.",
        "stage": "execution",
        "acts": ["invasion-2022", "belarus-territory-2022"],
    },
    {
        "key": "mobilisation-2022",
        "title": "Partial mobilisation",
        "kind": "military",
        "date": "2022-09-21",
        "institution": "ru-president",
        "instrument": "Decree of the President of the Russian Federation No. 647 of 21 September 2022",
        "summary": "Decree announcing partial mobilisation in the Russian Federation.",
        "stage": "execution",
        "acts": ["invasion-2022"],
    },
    {
        "key": "annexation-treaties-2022",
        "title": "Signature of the annexation 'treaties'",
        "kind": "political",
        "date": "2022-09-30",
        "institution": "ru-president",
        "instrument": None,
        "summary": (
            "'Treaties' on the accession of the 'DPR', the 'LPR' and the Zaporizhzhia and Kherson regions signed in "
            "the Kremlin on 30 September 2022."
        ),
        "stage": "execution",
        "acts": ["annexation-2022"],
    },
    {
        "key": "duma-annexation-2022",
        "title": "State Duma approval of the annexation legislation",
        "kind": "political",
        "date": "2022-10-03",
        "institution": "ru-state-duma",
        "instrument": None,
        "summary": "State Duma vote on the legislation to annex the four regions.",
        "stage": "execution",
        "acts": ["annexation-2022"],
    },
    {
        "key": "fc-annexation-2022",
        "title": "Federation Council approval of the annexation legislation",
        "kind": "political",
        "date": "2022-10-04",
        "institution": "ru-federation-council",
        "instrument": None,
        "summary": "Federation Council vote on the legislation to annex the four regions.",
        "stage": "execution",
        "acts": ["annexation-2022"],
    },
    {
        "key": "allied-resolve-2022",
        "title": "Joint exercise 'Allied Resolve 2022' in Belarus",
        "kind": "military",
        "date": "2022-02-10",
        "institution": "by-mod",
        "instrument": None,
        "summary": (
            "Joint Belarusian-Russian check of the Union State's response forces held in Belarus from 10 to 20 "
            "February 2022, for which Russian forces were redeployed to Belarus."
        ),
        "stage": "preparation",
        "acts": ["belarus-territory-2022", "invasion-2022"],
    },
    {
        "key": "allied-resolve-extension-2022",
        "title": "Continuation of the check of the Union State response forces",
        "kind": "military",
        "date": "2022-02-20",
        "institution": "by-president",
        "instrument": None,
        "summary": (
            "Announced by the Belarusian Minister of Defence on 20 February 2022: the Presidents of Belarus and Russia "
            "decided to continue the check of the response forces instead of ending the exercise on 20 February."
        ),
        "stage": "preparation",
        "acts": ["belarus-territory-2022", "invasion-2022"],
    },
    {
        "key": "ru-dprk-treaty-2024",
        "title": "Signature of the Russia-DPRK Treaty on Comprehensive Strategic Partnership",
        "kind": "diplomatic",
        "date": "2024-06-19",
        "institution": "ru-president",
        "instrument": (
            "Treaty on Comprehensive Strategic Partnership between the Russian Federation and the DPRK, Pyongyang, 19 "
            "June 2024"
        ),
        "summary": (
            "Signed in Pyongyang by the two heads of state; Article 4 provides for immediate military and other "
            "assistance if either party is subjected to an armed attack. In force since 4 December 2024."
        ),
        "stage": "preparation",
        "acts": ["dprk-kursk-2024"],
    },
    {
        "key": "ru-dprk-ratification-2024",
        "title": "Russian ratification of the Treaty on Comprehensive Strategic Partnership",
        "kind": "diplomatic",
        "date": "2024-11-09",
        "institution": "ru-president",
        "instrument": "Federal law on ratification signed on 9 November 2024",
        "summary": (
            "Approved by the State Duma on 24 October 2024 and the Federation Council on 6 November 2024; signed by "
            "the President on 9 November 2024."
        ),
        "stage": "preparation",
        "acts": ["dprk-kursk-2024"],
    },
    {
        "key": "kp-dprk-ratification-2024",
        "title": "DPRK ratification of the Treaty on Comprehensive Strategic Partnership",
        "kind": "diplomatic",
        "date": "2024-11-11",
        "institution": "kp-sac",
        "instrument": "Decree of the President of the State Affairs of the DPRK, 11 November 2024",
        "summary": (
            "KCNA reported on 12 November 2024 that the treaty had been ratified by decree signed on 11 November."
        ),
        "stage": "preparation",
        "acts": ["dprk-kursk-2024"],
    },
    {
        "key": "kp-deployment-order-2024",
        "title": "Order to deploy DPRK armed forces to the Kursk region",
        "kind": "military",
        "date": "2024-10",
        "institution": "kp-wpk-cmc",
        "instrument": (
            "Order of the WPK Central Military Commission (described in its written position of 28 April 2025)"
        ),
        "summary": (
            "According to the WPK Central Military Commission, Kim Jong Un decided that DPRK armed forces would take "
            "part, informed the Russian side and issued the Commission's order to the sub-units; the month is inferred "
            "from the deployment reported in October 2024."
        ),
        "stage": "initiation",
        "acts": ["dprk-kursk-2024"],
    },
    {
        "key": "ru-kursk-acknowledgement-2025",
        "title": "Russian acknowledgement of DPRK troops in the Kursk region",
        "kind": "military",
        "date": "2025-04-26",
        "institution": "ru-general-staff",
        "instrument": None,
        "summary": (
            "In a report to the President published by the Kremlin, the Chief of the General Staff acknowledged the "
            "participation of DPRK servicemen in the fighting in the Kursk region."
        ),
        "stage": "execution",
        "acts": ["dprk-kursk-2024"],
    },
    {
        "key": "kp-kursk-acknowledgement-2025",
        "title": "DPRK acknowledgement of the participation of its forces in the Kursk region",
        "kind": "political",
        "date": "2025-04-28",
        "institution": "kp-wpk-cmc",
        "instrument": "Written position of the WPK Central Military Commission, published by KCNA on 28 April 2025",
        "summary": (
            "The Commission praised the 'combat sub-units' of the DPRK armed forces for the operations in the Kursk "
            "region and stated that they took part on the order of the head of state."
        ),
        "stage": "execution",
        "acts": ["dprk-kursk-2024"],
    },
]

INVOLVEMENTS = [
    {
        "official": "putin",
        "decision": "fc-consent-2014",
        "role": "proposed",
        "note": "Sent the request for consent to use the armed forces in Ukraine.",
    },
    {
        "official": "matviyenko",
        "decision": "fc-consent-2014",
        "role": "publicly_endorsed",
        "note": "EU: publicly supported the deployment in the Federation Council.",
    },
    {
        "official": "dzhabarov",
        "decision": "fc-consent-2014",
        "role": "publicly_endorsed",
        "note": "EU: publicly supported the deployment on behalf of the International Affairs Committee.",
    },
    {
        "official": "putin",
        "decision": "crimea-treaty-2014",
        "role": "signed",
        "note": "Signed the 'treaty' in the Kremlin on 18 March 2014.",
    },
    {
        "official": "putin",
        "decision": "crimea-fkz-2014",
        "role": "signed",
        "note": "Signed the federal constitutional law.",
    },
    {
        "official": "naryshkin",
        "decision": "crimea-fkz-2014",
        "role": "publicly_endorsed",
        "note": "EU: publicly supported the 'reunification treaty' and the related federal constitutional law.",
    },
    {
        "official": "volodin",
        "decision": "duma-appeal-2022",
        "role": "voted_for",
        "note": "EU: supported the resolution in the State Duma on 15 February 2022.",
    },
    {
        "official": "zyuganov",
        "decision": "duma-appeal-2022",
        "role": "voted_for",
        "note": "EU: voted in favour of resolution No. 58243-8.",
    },
    {
        "official": "putin",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "lavrov",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "mishustin",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "medvedev",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "shoigu",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "patrushev",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "naryshkin",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "bortnikov",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "matviyenko",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "volodin",
        "decision": "sc-meeting-2022",
        "role": "attended",
        "note": "Took part in the televised Security Council meeting of 21 February 2022.",
    },
    {
        "official": "lavrov",
        "decision": "sc-meeting-2022",
        "role": "publicly_endorsed",
        "note": "EU: as a Security Council member, supported immediate recognition.",
    },
    {
        "official": "mishustin",
        "decision": "sc-meeting-2022",
        "role": "publicly_endorsed",
        "note": "EU: as a Security Council member, supported immediate recognition.",
    },
    {
        "official": "medvedev",
        "decision": "sc-meeting-2022",
        "role": "publicly_endorsed",
        "note": "EU: as a Security Council member, supported immediate recognition.",
    },
    {
        "official": "putin",
        "decision": "recognition-decrees-2022",
        "role": "signed",
        "note": "Signed the recognition decrees.",
    },
    {
        "official": "volodin",
        "decision": "duma-friendship-2022",
        "role": "voted_for",
        "note": "EU: supported the ratification in the State Duma.",
    },
    {
        "official": "matviyenko",
        "decision": "fc-friendship-2022",
        "role": "voted_for",
        "note": "EU: supported the ratification in the Federation Council.",
    },
    {
        "official": "dzhabarov",
        "decision": "fc-friendship-2022",
        "role": "voted_for",
        "note": "EU: supported the ratification in the Federation Council.",
    },
    {
        "official": "putin",
        "decision": "fc-consent-2022",
        "role": "proposed",
        "note": "Submitted the request for consent to the Federation Council.",
    },
    {
        "official": "matviyenko",
        "decision": "fc-consent-2022",
        "role": "signed",
        "note": "Signed the resolution as Chair of the Federation Council.",
    },
    {
        "official": "matviyenko",
        "decision": "fc-consent-2022",
        "role": "voted_for",
        "note": "EU: supported the deployment in the Federation Council.",
    },
    {
        "official": "dzhabarov",
        "decision": "fc-consent-2022",
        "role": "voted_for",
        "note": "EU: supported the deployment in the Federation Council.",
    },
    {
        "official": "putin",
        "decision": "address-2022",
        "role": "ordered",
        "note": "EU: on 24 February 2022 he ordered a military operation in Ukraine.",
    },
    {
        "official": "shoigu",
        "decision": "invasion-launch-2022",
        "role": "commanded",
        "note": "EU: Russian troops launched the invasion under his command and orders.",
    },
    {
        "official": "gerasimov",
        "decision": "invasion-launch-2022",
        "role": "commanded",
        "note": "EU: responsible for the deployment along the border and the military attack of February 2022.",
    },
    {"official": "putin", "decision": "mobilisation-2022", "role": "signed", "note": "Signed Decree No. 647."},
    {
        "official": "putin",
        "decision": "annexation-treaties-2022",
        "role": "signed",
        "note": "Signed the 'treaties' in the Kremlin.",
    },
    {
        "official": "volodin",
        "decision": "duma-annexation-2022",
        "role": "voted_for",
        "note": "EU: supported the annexation legislation on 3 October 2022.",
    },
    {
        "official": "matviyenko",
        "decision": "fc-annexation-2022",
        "role": "voted_for",
        "note": "EU: supported the annexation legislation on 4 October 2022.",
    },
    {
        "official": "dzhabarov",
        "decision": "fc-annexation-2022",
        "role": "voted_for",
        "note": "EU: supported the annexation legislation on 4 October 2022.",
    },
    {
        "official": "lukashenko",
        "decision": "allied-resolve-2022",
        "role": "ordered",
        "note": (
            "TASS (3 Feb 2022): the exercise was held on orders of the supreme commanders-in-chief of Russia and "
            "Belarus."
        ),
    },
    {
        "official": "putin",
        "decision": "allied-resolve-2022",
        "role": "ordered",
        "note": (
            "TASS (3 Feb 2022): the exercise was held on orders of the supreme commanders-in-chief of Russia and "
            "Belarus."
        ),
    },
    {
        "official": "shoigu",
        "decision": "allied-resolve-2022",
        "role": "implemented",
        "note": "Inspected the preparations in Belarus with A. Lukashenko on 3 February 2022.",
    },
    {
        "official": "gulevich",
        "decision": "allied-resolve-2022",
        "role": "implemented",
        "note": "EU: supported, supervised and publicly commented on the exercises.",
    },
    {
        "official": "volfovich",
        "decision": "allied-resolve-2022",
        "role": "implemented",
        "note": "EU: according to local military sources, supervised the exercise.",
    },
    {
        "official": "lukashenko",
        "decision": "allied-resolve-extension-2022",
        "role": "ordered",
        "note": (
            "Per the Belarusian Ministry of Defence, the decision was taken by the Presidents of Belarus and Russia."
        ),
    },
    {
        "official": "putin",
        "decision": "allied-resolve-extension-2022",
        "role": "ordered",
        "note": (
            "Per the Belarusian Ministry of Defence, the decision was taken by the Presidents of Belarus and Russia."
        ),
    },
    {
        "official": "khrenin",
        "decision": "allied-resolve-extension-2022",
        "role": "implemented",
        "note": "Announced the decision on 20 February 2022.",
    },
    {
        "official": "lukashenko",
        "decision": "allied-resolve-extension-2022",
        "role": "allowed",
        "note": (
            "The extension kept the Russian forces on Belarusian territory, from which they invaded Ukraine on 24 "
            "February 2022 (UNGA Res. 3314 Art. 3(f))."
        ),
    },
    {
        "official": "putin",
        "decision": "ru-dprk-treaty-2024",
        "role": "signed",
        "note": "Signed the treaty in Pyongyang.",
    },
    {
        "official": "kim-jong-un",
        "decision": "ru-dprk-treaty-2024",
        "role": "signed",
        "note": "Signed the treaty in Pyongyang.",
    },
    {
        "official": "putin",
        "decision": "ru-dprk-ratification-2024",
        "role": "signed",
        "note": "Signed the ratification law on 9 November 2024.",
    },
    {
        "official": "kim-jong-un",
        "decision": "kp-dprk-ratification-2024",
        "role": "signed",
        "note": "Signed the ratification decree on 11 November 2024.",
    },
    {
        "official": "kim-jong-un",
        "decision": "kp-deployment-order-2024",
        "role": "ordered",
        "note": "WPK CMC: decided on the participation of DPRK forces and issued the order.",
    },
    {
        "official": "no-kwang-chol",
        "decision": "kp-deployment-order-2024",
        "role": "implemented",
        "note": "EU: directly involved in the deployment of DPRK soldiers to Russia.",
    },
    {
        "official": "kim-yong-bok",
        "decision": "kp-deployment-order-2024",
        "role": "commanded",
        "note": "EU: in charge of overseeing the deployment of DPRK troops in Russia.",
    },
    {
        "official": "ri-chang-ho",
        "decision": "kp-deployment-order-2024",
        "role": "implemented",
        "note": "EU: coordinated North Korean soldiers deployed on the battlefield.",
    },
    {
        "official": "gerasimov",
        "decision": "ru-kursk-acknowledgement-2025",
        "role": "publicly_endorsed",
        "note": "Praised the DPRK servicemen in his report to the President.",
    },
    {
        "official": "putin",
        "decision": "ru-kursk-acknowledgement-2025",
        "role": "publicly_endorsed",
        "note": "Statement of 28 April 2025 thanking the DPRK leadership and soldiers.",
    },
    {
        "official": "kim-jong-un",
        "decision": "kp-kursk-acknowledgement-2025",
        "role": "publicly_endorsed",
        "note": "KCNA reported his remarks praising the soldiers who fought in the Kursk region.",
    },
]

EVIDENCE = [
    {
        "exhibit_no": "P-0001",
        "title": "EU listing of Vladimir Putin (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 669, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Vladimir Putin is the President of the Russian Federation. On 22 February 2022, he "
            "signed a decree recognising the ‘independence and sovereignty’ of the non-government-controlled areas of "
            "the Donetsk and Luhansk oblasts of Ukraine, and ordered the Russian armed forces into those areas. On 24 "
            "February 2022, he ordered a military operation in Ukraine and Russian armed forces began an attack on "
            "Ukraine. That attack is a blatant violation of the territorial integrity, sovereignty and independence of "
            "Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0002",
        "title": "EU listing of Sergey Lavrov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 670, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Minister of Foreign Affairs of the Russian Federation. As a member of the Russian "
            "Security Council, supported Russia’s immediate recognition of the two self-proclaimed republics."
        ),
    },
    {
        "exhibit_no": "P-0003",
        "title": "EU listing of Mikhail Mishustin (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 645, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Prime Minister of the Russian Federation. As a member of the Security Council of "
            "the Russian Federation, supported Russia’s immediate recognition of the two self-proclaimed republics."
        ),
    },
    {
        "exhibit_no": "P-0004",
        "title": "EU listing of Dmitry Medvedev (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 644, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Deputy Chairman of the Security Council of the Russian Federation. As a member of "
            "the Security Council, supported Russia’s immediate recognition of the two self-proclaimed republics."
        ),
    },
    {
        "exhibit_no": "P-0005",
        "title": "EU listing of Sergei Shoigu (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 212, listed 23.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Sergei Shoigu is the former Defence Minister of the Russian Federation. Under his "
            "command and orders, Russian troops have held military drills in the illegally annexed Crimea and launched "
            "a full-scale military invasion against Ukraine. Sergei Shoigu is now Secretary of the Security Council of "
            "the Russian Federation."
        ),
    },
    {
        "exhibit_no": "P-0006",
        "title": "EU listing of Valery Gerasimov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 42, listed 29.4.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Chief of the General Staff of the Armed Forces of the Russian Federation, First "
            "Deputy Minister of Defence of the Russian Federation, General of the Army. Responsible for the massive "
            "deployment of Russian troops along the border with Ukraine and Russia’s military attack against Ukraine "
            "in February 2022."
        ),
    },
    {
        "exhibit_no": "P-0007",
        "title": "EU listing of Nikolai Patrushev (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 74, listed 25.7.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Former member and Secretary of the Security Council of the Russian Federation. "
            "Publicly supported independence of Donetsk and Luhansk."
        ),
    },
    {
        "exhibit_no": "P-0008",
        "title": "EU listing of Valentina Matviyenko (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 24, listed 21.3.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Speaker of the Federation Council. On 1 March 2014, publicly supported, in the "
            "Federation Council, the deployment of Russian forces in Ukraine. On 22 February 2022, Matviyenko "
            "supported, in the Federation Council, the ratification of the government decisions of the ‘Treaty of "
            "Friendship, Cooperation and Mutual Assistance between the Russian Federation and the Donetsk People’s "
            "Republic’ and the ‘Treaty of Friendship, Cooperation and Mutual Assistance between the Russian Federation "
            "and the Luhansk People’s Republic’. On 22 February 2022, Matviyenko supported, in the Federation Council, "
            "the deployment of Russian forces in Ukraine. On 4 October 2022, Matviyenko supported, in the Federation "
            "Council, the legislation to annex the Donetsk, Luhansk, Kherson and Zaporizhzhia regions of Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0009",
        "title": "EU listing of Vyacheslav Volodin (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 49, listed 12.5.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Former First Deputy Chief of Staff of the Presidential Administration of Russia. "
            "Responsible for overseeing the political integration of the annexed Ukrainian region of Crimea into the "
            "Russian Federation. Currently Speaker of the State Duma of the Russian Federation since 5 October 2016. "
            "On 15 February 2022, Volodin supported, in the State Duma, the resolution asking President Vladimir Putin "
            "to recognise Ukrainian regions Donetsk and Luhansk as independent states. On 22 February 2022, Volodin "
            "supported, in the State Duma, the ratification of the government decisions of the ‘Treaty of Friendship, "
            "Cooperation and Mutual Assistance between the Russian Federation and the Donetsk People’s Republic’ and "
            "the ‘Treaty of Friendship, Cooperation and Mutual Assistance between the Russian Federation and the "
            "Luhansk People’s Republic’. On 3 October 2022, Volodin supported, in the State Duma, the legislation to "
            "annex the Donetsk, Luhansk, Kherson and Zaporizhzhia regions of Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0010",
        "title": "EU listing of Andrey Belousov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 1207, listed 21.7.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Andrey Removich Belousov has been the Russian Federation Defence Minister since 14 "
            "May 2024. Until May 2024, he was the First Deputy Prime Minister of the Russian Federation."
        ),
    },
    {
        "exhibit_no": "P-0011",
        "title": "EU listing of Dmitry Peskov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 677, listed 28.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": "Statement of reasons: Dmitri Peskov is the press secretary of President Putin.",
    },
    {
        "exhibit_no": "P-0012",
        "title": "EU listing of Sergei Naryshkin (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 25, listed 21.3.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Former Speaker of the State Duma. Publicly supported the Russia-Crimea "
            "reunification treaty and the related federal constitutional law. Currently Director of the Foreign "
            "Intelligence Service of the Russian Federation as of October 2016."
        ),
    },
    {
        "exhibit_no": "P-0013",
        "title": "EU listing of Aleksandr Bortnikov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 75, listed 25.7.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Permanent member of the Security Council of the Russian Federation; Director of the "
            "Federal Security Service (FSB)."
        ),
    },
    {
        "exhibit_no": "P-0014",
        "title": "EU listing of Gennady Zyuganov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 235, listed 23.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Member of the State Duma who voted in favour of the resolution No. 58243-8 ‘On the "
            "appeal of the State Duma of the Federal Assembly of the Russian Federation To the President of the "
            "Russian Federation V.V.Putin on the need to recognize the Donetsk People’s Republic and the Luhansk "
            "People’s Republic’ and therefore supported and implemented actions and policies which undermine the "
            "territorial integrity, sovereignty and independence of Ukraine, and further destabilised Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0015",
        "title": "EU listing of Vladimir Dzhabarov (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 10, listed 17.3.2014",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: First Deputy-Chairman of the International Affairs Committee of the Federation "
            "Council of the Russian Federation. On 1 March 2014 Dzhabarov, on behalf of the International Affairs "
            "Committee of the Federation Council, publicly supported, in the Federation Council, the deployment of "
            "Russian forces in Ukraine. On 22 February 2022, Dzhabarov supported, in the Federation Council, the "
            "ratification of the government decisions on the ‘Treaty of Friendship, Cooperation and Mutual Assistance "
            "between the Russian Federation and the Donetsk People’s Republic’ and the ‘Treaty of Friendship, "
            "Cooperation and Mutual Assistance between the Russian Federation and the Luhansk People’s Republic’. On "
            "22 February 2022, Dzhabarov supported, in the Federation Council, the deployment of Russian forces in "
            "Ukraine. On 4 October 2022, Dzhabarov supported, in the Federation Council, the legislation to annex the "
            "Donetsk, Luhansk, Kherson and Zaporizhzhia regions of Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0016",
        "title": "EU listing of Viktor Gulevich (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 658, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Viktor Vladimirovich Gulevich is the Chief of the General Staff of the Belarussian "
            "Armed Forces - First Deputy Defence Minister of the Republic of Belarus. In this position he supported, "
            "supervised and publicly commented on the joint Belarussian-Russian military exercises which prepared and "
            "facilitated the Russian military aggression of 24 February 2022."
        ),
    },
    {
        "exhibit_no": "P-0017",
        "title": "EU listing of Aleksandr Volfovich (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 659, listed 25.2.2022",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Aleksandr Grigoryevich Volfovich is the State Secretary of the Security Council of "
            "the Republic of Belarus, and according to local military sources has been supervising the military "
            "exercise ‘Allied Resolve 2022’, which prepared and facilitated the Russian military aggression against "
            "Ukraine of 24 February 2022."
        ),
    },
    {
        "exhibit_no": "P-0018",
        "title": "EU listing of Pavel Muraveiko (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 1588, listed 18.12.2023",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Pavel Muraveiko is the First Deputy Secretary of State of the Security Council of "
            "the Republic of Belarus. In his position, he oversees the actions of the Security Council, including "
            "military-technical cooperation between Belarus and Russia."
        ),
    },
    {
        "exhibit_no": "P-0019",
        "title": "EU listing of No Kwang Chol (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 1869, listed 16.12.2024",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: No Kwang Chol is Minister of Defence of the Democratic People’s Republic of Korea "
            "(DPRK). In his position, he is directly involved in the military cooperation between DPRK and the Russian "
            "Federation, including the deployment of DPRK soldiers to the Russian Federation in support of Russia’s "
            "war of aggression against Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0020",
        "title": "EU listing of Kim Yong Bok (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 1868, listed 16.12.2024",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Kim Yong Bok is the Deputy Chief of the General Staff of the Korean People’s Army "
            "(KPA). According to Ukrainian and Republic of Korea authorities, he has recently been deployed to Russia "
            "alongside troops of the Democratic People’s Republic of Korea (DPRK) in support of Russia’s war of "
            "aggression, and is in charge of overseeing the deployment of DPRK troops in Russia."
        ),
    },
    {
        "exhibit_no": "P-0021",
        "title": "EU listing of Lee (Ri) Chang Ho (Reg. 269/2014, Annex I)",
        "kind": "sanctions_listing",
        "source": "Council Regulation (EU) No 269/2014, Annex I, entry 1900, listed 24.2.2025",
        "provenance": (
            "Official Journal of the European Union, consolidated text 02014R0269-20260717, as transcribed by "
            "OpenSanctions (eu_journal_sanctions)"
        ),
        "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02014R0269-20260717",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Extracted from the OpenSanctions transcription of the Official Journal text",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Statement of reasons: Lee Chang Ho coordinated North Korean soldiers deployed on the battlefield in "
            "Ukraine, who may have been given tasks related to irregular guerrilla warfare. Thus, he was involved in "
            "the participation of North Korean soldiers in the war against Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0022",
        "title": "OFAC SDN entry for Vladimir Putin",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 35096 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "SDN entry 'PUTIN, Vladimir Vladimirovich', programme(s) RUSSIA-EO14024; title 'President of the Russian "
            "Federation'."
        ),
    },
    {
        "exhibit_no": "P-0023",
        "title": "OFAC SDN entry for Sergei Lavrov",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 35233 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "SDN entry 'LAVROV, Sergei Viktorovich', programme(s) RUSSIA-EO14024; title 'Minister of Foreign Affairs "
            "of the Russian Federation'."
        ),
    },
    {
        "exhibit_no": "P-0024",
        "title": "OFAC SDN entry for Vyacheslav Volodin",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 16714 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "SDN entry 'VOLODIN, Vyacheslav Victorovich', programme(s) UKRAINE-EO13661, RUSSIA-EO14024; title 'Speaker "
            "of the State Duma of the Federal Assembly of the Russian Federation; Member of Russian Security Council'."
        ),
    },
    {
        "exhibit_no": "P-0025",
        "title": "OFAC SDN entry for Kim Jong Un",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 20157 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "restricted",
        "reliability": "B",
        "credibility": "2",
        "summary": "SDN entry 'KIM, Jong Un', programme(s) DPRK3; title 'Chairman of the Workers' Party of Korea'.",
    },
    {
        "exhibit_no": "P-0026",
        "title": "OFAC SDN entry for Alexander Lukashenko",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 9760 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": "SDN entry 'LUKASHENKA, Alyaksandr Ryhorovich', programme(s) BELARUS.",
    },
    {
        "exhibit_no": "P-0027",
        "title": "OFAC SDN entry for Viktor Khrenin",
        "kind": "sanctions_listing",
        "source": "OFAC Specially Designated Nationals List, uid 34746 (list as of 3 May 2024)",
        "provenance": "US Treasury OFAC sdn.csv, snapshot of 3 May 2024 (git-scraped copy)",
        "url": "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": "SDN entry 'KHRENIN, Viktor Gennadievich', programme(s) BELARUS-EO14038.",
    },
    {
        "exhibit_no": "P-0028",
        "title": "UNGA resolution 68/262 'Territorial integrity of Ukraine'",
        "kind": "document",
        "source": "UN General Assembly resolution A/RES/68/262 of 27 March 2014",
        "provenance": "United Nations Official Document System",
        "url": "https://undocs.org/A/RES/68/262",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Adopted 100-11-58. Affirms the General Assembly's commitment to the territorial integrity of Ukraine "
            "within its internationally recognised borders, states that the referendum held in Crimea on 16 March 2014 "
            "has no validity and calls on States not to recognise any alteration of the status of Crimea and "
            "Sevastopol."
        ),
    },
    {
        "exhibit_no": "P-0029",
        "title": "UNGA resolution ES-11/1 'Aggression against Ukraine'",
        "kind": "document",
        "source": "UN General Assembly resolution A/RES/ES-11/1 of 2 March 2022",
        "provenance": "United Nations Official Document System",
        "url": "https://undocs.org/A/RES/ES-11/1",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Adopted 141-5-35 at the eleventh emergency special session. Deplores in the strongest terms the "
            "aggression by the Russian Federation against Ukraine in violation of Article 2(4) of the Charter, demands "
            "immediate withdrawal of Russian forces and deplores the involvement of Belarus in this unlawful use of "
            "force."
        ),
    },
    {
        "exhibit_no": "P-0030",
        "title": "UNGA resolution ES-11/4 on the attempted illegal annexation of four regions",
        "kind": "document",
        "source": "UN General Assembly resolution A/RES/ES-11/4 of 12 October 2022",
        "provenance": "United Nations Official Document System",
        "url": "https://undocs.org/A/RES/ES-11/4",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Adopted 143-5-35. Condemns the organisation of so-called referendums in the Donetsk, Luhansk, Kherson and "
            "Zaporizhzhia regions and the attempted illegal annexation that followed, and declares that they have no "
            "validity under international law."
        ),
    },
    {
        "exhibit_no": "P-0031",
        "title": "Putin's answers to journalists on the situation in Ukraine, 4 March 2014",
        "kind": "official_statement",
        "source": (
            "Kremlin transcript, 'Vladimir Putin answered journalists' questions on the situation in Ukraine', 4 March "
            "2014"
        ),
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "5",
        "summary": (
            "Asked whether the armed men in uniforms resembling Russian ones in Crimea were Russian troops, Putin said "
            "they were local self-defence forces. He later acknowledged (17 April 2014) that Russian servicemen had "
            "backed the Crimean 'self-defence' forces."
        ),
    },
    {
        "exhibit_no": "P-0032",
        "title": "Direct Line with Vladimir Putin, 17 April 2014",
        "kind": "audio_video",
        "source": "Kremlin transcript and broadcast, 'Direct Line with Vladimir Putin', 17 April 2014",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "Putin stated that Russian servicemen had stood behind the Crimean self-defence forces before the "
            "'referendum' of 16 March 2014."
        ),
    },
    {
        "exhibit_no": "P-0033",
        "title": "Address by the President on Crimea and signature of the 'accession treaty', 18 March 2014",
        "kind": "official_statement",
        "source": "Kremlin transcript, 'Address by President of the Russian Federation', 18 March 2014",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "Address to the Federal Assembly in the Kremlin on the request of the Crimean authorities to join Russia, "
            "followed the same day by the signature of the treaty on the admission of Crimea into the Russian "
            "Federation."
        ),
    },
    {
        "exhibit_no": "P-0034",
        "title": "Kremlin transcript of the Security Council meeting of 21 February 2022",
        "kind": "official_statement",
        "source": "Kremlin transcript, 'Security Council meeting', 21 February 2022",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "Televised meeting chaired by the President on the recognition of the 'DPR' and 'LPR'; the permanent "
            "members, among them Lavrov, Shoigu, Medvedev, Patrushev, Naryshkin, Bortnikov, Mishustin, Matviyenko and "
            "Volodin, spoke in turn."
        ),
    },
    {
        "exhibit_no": "P-0035",
        "title": "Address by the President of the Russian Federation, 21 February 2022",
        "kind": "official_statement",
        "source": "Kremlin, 'Address by the President of the Russian Federation', 21 February 2022",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": "http://en.kremlin.ru/events/president/news/67828",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "Putin announced his decision to recognise immediately the independence and sovereignty of the 'DPR' and "
            "'LPR' and to sign treaties of friendship and mutual assistance with them."
        ),
    },
    {
        "exhibit_no": "P-0036",
        "title": "Federation Council consent to use the armed forces abroad, 22 February 2022",
        "kind": "press_report",
        "source": "Fakty (fakty.com.ua), report of 22 February 2022 on the Federation Council session",
        "provenance": "Ukrainian news site",
        "url": (
            "https://fakty.com.ua/ru/ukraine/20220222-putin-zaprosyv-u-radfeda-dozvil-vykorystaty-armiyu-rf-za-kordonom"
        ),
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "ru",
        "classification": "public",
        "reliability": "C",
        "credibility": "2",
        "summary": (
            "Reports that Putin asked the Federation Council for consent to use the armed forces outside Russia, that "
            "Chair V. Matviyenko added his request to the agenda, and that the Council voted unanimously in favour."
        ),
    },
    {
        "exhibit_no": "P-0037",
        "title": "Address by the President of the Russian Federation, 24 February 2022",
        "kind": "official_statement",
        "source": "Kremlin, 'Address by the President of the Russian Federation', 24 February 2022",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": "http://en.kremlin.ru/events/president/news/67843",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Putin announced that he had decided to conduct a 'special military operation' and invoked Article 51 of "
            "the UN Charter, the Federation Council's consent and the treaties with the 'DPR' and 'LPR'."
        ),
    },
    {
        "exhibit_no": "P-0038",
        "title": "Ryabkov: Russia has no plans to attack Ukraine (January 2022)",
        "kind": "press_report",
        "source": "New Voice of Ukraine (english.nv.ua), citing Interfax, 19 January 2022",
        "provenance": "Ukrainian news site",
        "url": (
            "https://english.nv.ua/nation/no-risk-of-large-scale-war-in-europe-claims-russia-s-deputy-foreign-ministe"
            "r-50209865.html"
        ),
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "5",
        "summary": (
            "Deputy Foreign Minister S. Ryabkov said on 19 January 2022: 'We're not going to take any aggressive "
            "action. We're not going to attack or invade Ukraine'; on 10 January 2022 in Geneva he had said Russia was "
            "'not going to attack' Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0039",
        "title": "Shoigu inspects preparations for 'Allied Resolve 2022' in Minsk",
        "kind": "press_report",
        "source": "TASS report of 3 February 2022 on Shoigu's meeting with Lukashenko in Minsk",
        "provenance": "Russian state news agency",
        "url": "https://tass.com/defense/1397205",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "restricted",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "At a meeting with A. Lukashenko in Minsk, Defence Minister Shoigu praised the redeployment of troops from "
            "Russia's Eastern Military District to Belarus, announced a major inspection of the preparations and "
            "recalled that the exercise was being held on orders of the supreme commanders-in-chief of Russia and "
            "Belarus."
        ),
    },
    {
        "exhibit_no": "P-0040",
        "title": "Khrenin announces continuation of the check of the Union State response forces",
        "kind": "official_statement",
        "source": "Statement of the Minister of Defence of Belarus, 20 February 2022, as reported by bigmir.net",
        "provenance": "Belarusian Ministry of Defence statement, reported by Ukrainian news site",
        "url": "https://news.bigmir.net/amp-page/world/6243781-rossiya-i-belarus-resili-prodolzit-proverku-sil",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "ru",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Defence Minister V. Khrenin stated that, because of increased military activity near the Union State's "
            "borders and the situation in Donbas, the Presidents of Belarus and Russia had decided to continue the "
            "check of the Union State's response forces."
        ),
    },
    {
        "exhibit_no": "P-0041",
        "title": "Makei: no Russian soldier will remain in Belarus after the exercise",
        "kind": "press_report",
        "source": "Belsat, 'FM Makey: Russian military will completely leave Belarus after exercise', 16 February 2022",
        "provenance": "Belarusian independent broadcaster",
        "url": (
            "https://redakcja.belsat.cloud/en/news/16-02-2022-fm-makey-russian-military-will-completely-leave-belarus"
            "-after-exercise"
        ),
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "5",
        "summary": (
            "Foreign Minister U. Makei told a press conference: 'Not a single soldier, not a single piece of military "
            "equipment will remain after these exercises', adding that the Ministry of Defence and President "
            "Lukashenko had said the same."
        ),
    },
    {
        "exhibit_no": "P-0042",
        "title": "Lukashenko rejects claims that the exercise is aimed at Ukraine (14 February 2022)",
        "kind": "press_report",
        "source": (
            "Report of the meeting between A. Lukashenko and A. Moroz on 14 February 2022, citing the press service of "
            "the President of Belarus (bbabo.net)"
        ),
        "provenance": "News aggregator citing the Belarusian presidential press service",
        "url": "https://bbabo.net/en-GB/article/news/2700275-lukashenko-russian-troops-will",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "4",
        "summary": (
            "Lukashenko said the exercise had been planned in advance, rejected accusations that it was directed "
            "against Ukraine and said Russian troops would return home when the exercise ended and the two presidents "
            "decided."
        ),
    },
    {
        "exhibit_no": "P-0043",
        "title": "Lukashenko acknowledges missile launches from Belarus (27 February 2022)",
        "kind": "press_report",
        "source": (
            "Interfax, 'Russia was forced to launch several missiles at Ukraine from Belarusian territory at start of "
            "operation - Lukashenko', 27 February 2022"
        ),
        "provenance": "Russian news agency",
        "url": "https://interfax.com/newsroom/top-stories/74581/",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "Lukashenko said that two or three missiles had been launched at Ukraine from areas near Chernobyl, where "
            "Russian troops had been taking part in the exercise, on the eve of the invasion."
        ),
    },
    {
        "exhibit_no": "P-0044",
        "title": "Treaty on Comprehensive Strategic Partnership between Russia and the DPRK (19 June 2024)",
        "kind": "document",
        "source": (
            "Treaty on Comprehensive Strategic Partnership between the Russian Federation and the DPRK, signed in "
            "Pyongyang on 19 June 2024"
        ),
        "provenance": "Text published by the Russian and DPRK governments",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Signed by V. Putin and Kim Jong Un. Article 4 provides that if one party is subjected to an armed attack "
            "and finds itself in a state of war, the other shall immediately provide military and other assistance by "
            "all means at its disposal in accordance with Article 51 of the UN Charter and national law."
        ),
    },
    {
        "exhibit_no": "P-0045",
        "title": "Putin signs the law ratifying the Russia-DPRK treaty (9 November 2024)",
        "kind": "press_report",
        "source": "RT, report of 9 November 2024 on the ratification law",
        "provenance": "Russian state broadcaster",
        "url": "https://rt.com/russia/607420-putin-pyongyang-security-treaty/amp",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "2",
        "summary": (
            "Reports that the State Duma approved the treaty in October, the Federation Council on 6 November and that "
            "the President signed the ratification law dated 9 November 2024."
        ),
    },
    {
        "exhibit_no": "P-0046",
        "title": "KCNA: DPRK ratifies the treaty with Russia (12 November 2024)",
        "kind": "press_report",
        "source": "KUNA report of 12 November 2024 citing KCNA",
        "provenance": "Kuwait News Agency citing the Korean Central News Agency",
        "url": "https://menafn.com/1108875469/State-News-Agency-N-Korea-Ratifies-Defense-Pact-With-Russia",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "2",
        "summary": (
            "KCNA reported that the Comprehensive Strategic Partnership treaty was ratified by a decree of Kim Jong Un "
            "signed on 11 November 2024 and would take effect when the instruments of ratification were exchanged."
        ),
    },
    {
        "exhibit_no": "P-0047",
        "title": "DPRK appoints No Kwang Chol Minister of National Defence (October 2024)",
        "kind": "press_report",
        "source": "AFP, 'North Korea appoints new defence minister', 9 October 2024 (SpaceWar.com)",
        "provenance": "Wire report citing KCNA",
        "url": "https://www.spacewar.com/afp/241009022328.28v93rje.html",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "2",
        "summary": (
            "KCNA reported that No Kwang Chol was named defence minister at the Supreme People's Assembly session that "
            "ended on 8 October 2024, succeeding Kang Sun Nam."
        ),
    },
    {
        "exhibit_no": "P-0048",
        "title": "DPRK delegate at the UN calls troop reports 'groundless stereotyped rumours' (21 October 2024)",
        "kind": "press_report",
        "source": "KBS World, report of 22 October 2024 citing Yonhap",
        "provenance": "South Korean public broadcaster",
        "url": "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=188596",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "5",
        "summary": (
            "At the UN General Assembly First Committee on 21 October 2024 an official of the DPRK mission dismissed "
            "reports that the DPRK was sending troops to Russia as groundless rumours aimed at damaging legitimate "
            "cooperation between sovereign states."
        ),
    },
    {
        "exhibit_no": "P-0049",
        "title": "Russia's UN ambassador calls reports of DPRK troops 'mere assertions' (30 October 2024)",
        "kind": "press_report",
        "source": "AFP report of 31 October 2024 (BSS News)",
        "provenance": "Wire report of a UN Security Council meeting",
        "url": "https://bssnews.net/news/219872",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "C",
        "credibility": "5",
        "summary": (
            "At the Security Council V. Nebenzia called US and UK statements that DPRK troops were in Russia 'mere "
            "assertions' made without convincing evidence."
        ),
    },
    {
        "exhibit_no": "P-0050",
        "title": "Gerasimov reports to Putin on the Kursk region and DPRK servicemen (26 April 2025)",
        "kind": "audio_video",
        "source": (
            "NK News, 'In a first, Russia confirms North Korea's involvement in Ukraine war', 26 April 2025, on the "
            "video published by the Kremlin"
        ),
        "provenance": "Specialist news site describing a Kremlin video",
        "url": "https://www.nknews.org/2025/04/in-a-first-russia-confirms-north-koreas-involvement-in-ukraine-war/",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "In his report to the President, Chief of the General Staff V. Gerasimov acknowledged the participation of "
            "DPRK servicemen in the fighting in the Kursk region and praised them."
        ),
    },
    {
        "exhibit_no": "P-0051",
        "title": "WPK Central Military Commission written position on the Kursk operations (28 April 2025)",
        "kind": "official_statement",
        "source": (
            "KCNA, 'WPK Central Military Commission Highly Praises Combat Sub-units of Armed Forces of DPRK for "
            "Performing Heroic Feats in Operations to Liberate Kursk Area of Russian Federation', 28 April 2025"
        ),
        "provenance": "Korean Central News Agency / Rodong Sinmun",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "The Commission stated that, judging that Article 4 of the treaty applied, Kim Jong Un decided that DPRK "
            "armed forces would take part, informed the Russian side and issued the Commission's order to the "
            "sub-units to fight alongside Russian forces in the Kursk region."
        ),
    },
    {
        "exhibit_no": "P-0052",
        "title": "KCNA report of Kim Jong Un's remarks on the soldiers sent to the Kursk region (28 April 2025)",
        "kind": "official_statement",
        "source": "KCNA, 28 April 2025, as reported by News Front",
        "provenance": "Korean Central News Agency",
        "url": (
            "https://id.news-front.su/2025/04/28/kim-jong-un-sebut-keterlibatan-pasukannya-dalam-pertempuran-di-wilay"
            "ah-kursk-sebagai-misi-suci"
        ),
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "id",
        "classification": "public",
        "reliability": "D",
        "credibility": "3",
        "summary": (
            "Kim Jong Un called the DPRK servicemen sent to the Kursk region heroes, described their participation as "
            "a sacred mission and said a monument would be built in Pyongyang."
        ),
    },
    {
        "exhibit_no": "P-0053",
        "title": "Statement by Vladimir Putin thanking the DPRK (28 April 2025)",
        "kind": "official_statement",
        "source": "Kremlin, statement of the President of 28 April 2025 on the liberation of the Kursk region",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "Putin thanked Kim Jong Un and the DPRK servicemen for their part in the fighting in the Kursk region, "
            "referring to the Treaty on Comprehensive Strategic Partnership."
        ),
    },
    {
        "exhibit_no": "P-0054",
        "title": "Request of the President to the Federation Council, 1 March 2014",
        "kind": "official_statement",
        "source": "Kremlin news item of 1 March 2014 on the President's appeal to the Federation Council",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "The President asked the Federation Council for consent to use the Russian armed forces on the territory "
            "of Ukraine; the Council granted it the same day."
        ),
    },
    {
        "exhibit_no": "P-0055",
        "title": "Federal Constitutional Law No. 6-FKZ of 21 March 2014",
        "kind": "document",
        "source": (
            "Federal Constitutional Law No. 6-FKZ of 21 March 2014 on admitting the Republic of Crimea into the "
            "Russian Federation and forming new constituent entities"
        ),
        "provenance": "Official Internet Portal of Legal Information (publication.pravo.gov.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "ru",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Law admitting the 'Republic of Crimea' and the city of Sevastopol as constituent entities of the Russian "
            "Federation, signed by the President on 21 March 2014."
        ),
    },
    {
        "exhibit_no": "P-0056",
        "title": "Federation Council resolution of 22 February 2022 on the use of the armed forces abroad",
        "kind": "document",
        "source": (
            "Resolution of the Federation Council of 22 February 2022 on the use of the Armed Forces of the Russian "
            "Federation outside the territory of the Russian Federation"
        ),
        "provenance": "Federation Council of the Russian Federation",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "ru",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "Gives consent to the President to use the armed forces outside Russia, leaving him to determine their "
            "number, area of operations, tasks and the duration of their stay; signed by the Chair of the Federation "
            "Council, V. Matviyenko."
        ),
    },
    {
        "exhibit_no": "P-0057",
        "title": "Decree of the President No. 647 of 21 September 2022 on partial mobilisation",
        "kind": "document",
        "source": "Decree of the President of the Russian Federation No. 647 of 21 September 2022",
        "provenance": "Official Internet Portal of Legal Information (publication.pravo.gov.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "ru",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": "Decree declaring partial mobilisation in the Russian Federation from 21 September 2022.",
    },
    {
        "exhibit_no": "P-0058",
        "title": "Signing of the 'treaties' on the accession of four regions, 30 September 2022",
        "kind": "official_statement",
        "source": "Kremlin transcript of the signing ceremony in the Kremlin, 30 September 2022",
        "provenance": "Official website of the President of Russia (kremlin.ru)",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "After his address in the Kremlin, the President signed with the heads of the 'DPR', the 'LPR' and the "
            "Russian-installed heads of the Zaporizhzhia and Kherson regions 'treaties' on their accession to Russia."
        ),
    },
    {
        "exhibit_no": "P-0059",
        "title": "ICJ, Allegations of Genocide (Ukraine v. Russian Federation), Order of 16 March 2022",
        "kind": "document",
        "source": (
            "International Court of Justice, Allegations of Genocide under the Convention on the Prevention and "
            "Punishment of the Crime of Genocide (Ukraine v. Russian Federation), Provisional Measures, Order of 16 "
            "March 2022"
        ),
        "provenance": "Official website of the International Court of Justice (icj-cij.org)",
        "url": "https://www.icj-cij.org/case/182",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "summary": (
            "The Court ordered, by thirteen votes to two, that the Russian Federation shall immediately suspend the "
            "military operations that it commenced on 24 February 2022 in the territory of Ukraine."
        ),
    },
    {
        "exhibit_no": "P-0060",
        "title": "OHCHR, protection of civilians in Ukraine: civilian casualties since 24 February 2022",
        "kind": "document",
        "source": (
            "Office of the United Nations High Commissioner for Human Rights, Human Rights Monitoring Mission in "
            "Ukraine, periodic updates on the protection of civilians in Ukraine"
        ),
        "provenance": "Official website of OHCHR (ohchr.org)",
        "url": "https://www.ohchr.org/en/countries/ukraine",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": (
            "The mission's verified figures record more than 12,000 civilians killed in Ukraine from 24 February 2022 "
            "to the end of 2024, and many more injured; the actual figures are likely considerably higher."
        ),
    },
    {
        "exhibit_no": "P-0061",
        "title": "UNHCR, Ukraine refugee situation: refugees from Ukraine recorded globally",
        "kind": "document",
        "source": "UNHCR Operational Data Portal, 'Ukraine Refugee Situation'",
        "provenance": "Official data portal of the UN Refugee Agency (data.unhcr.org)",
        "url": "https://data.unhcr.org/en/situations/ukraine",
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded from the publisher's website",
        "language": "en",
        "classification": "public",
        "reliability": "A",
        "credibility": "2",
        "summary": "More than six million refugees from Ukraine recorded globally since February 2022.",
    },
    {
        "exhibit_no": "P-0062",
        "title": "South Korean intelligence: about 11,000 DPRK troops in Russia (November 2024)",
        "kind": "press_report",
        "source": (
            "Reports of 13 November 2024 on the National Intelligence Service's briefing to the National Assembly "
            "of the Republic of Korea"
        ),
        "provenance": "News reports of a parliamentary briefing",
        "url": None,
        "collected_by": "Demo analyst",
        "collected_on": "2026-11-29",
        "collection_method": "Collected from news reports",
        "language": "en",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        "summary": (
            "The National Intelligence Service told lawmakers that some 11,000 North Korean soldiers had been sent to "
            "Russia and that some had been deployed to the front line in the Kursk region."
        ),
    },
]

SUPPORTS = [
    {
        "evidence": "P-0001",
        "target_type": "tenure",
        "target": "putin-president-2012",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0001",
        "target_type": "involvement",
        "target": "putin|recognition-decrees-2022|signed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0001",
        "target_type": "involvement",
        "target": "putin|address-2022|ordered",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0001",
        "target_type": "act",
        "target": "invasion-2022",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 4",
    },
    {
        "evidence": "P-0002",
        "target_type": "tenure",
        "target": "lavrov-mfa-2004",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0002",
        "target_type": "involvement",
        "target": "lavrov|sc-meeting-2022|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0003",
        "target_type": "tenure",
        "target": "mishustin-pm-2020",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0003",
        "target_type": "involvement",
        "target": "mishustin|sc-meeting-2022|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0004",
        "target_type": "tenure",
        "target": "medvedev-sc-2020",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0004",
        "target_type": "involvement",
        "target": "medvedev|sc-meeting-2022|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0005",
        "target_type": "tenure",
        "target": "shoigu-mod-2012",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0005",
        "target_type": "tenure",
        "target": "shoigu-sc-2024",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 5",
    },
    {
        "evidence": "P-0005",
        "target_type": "involvement",
        "target": "shoigu|invasion-launch-2022|commanded",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0006",
        "target_type": "tenure",
        "target": "gerasimov-cgs-2012",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0006",
        "target_type": "involvement",
        "target": "gerasimov|invasion-launch-2022|commanded",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0007",
        "target_type": "tenure",
        "target": "patrushev-sc-2008",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0008",
        "target_type": "tenure",
        "target": "matviyenko-fc-2011",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0008",
        "target_type": "involvement",
        "target": "matviyenko|fc-consent-2014|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0008",
        "target_type": "involvement",
        "target": "matviyenko|fc-friendship-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0008",
        "target_type": "involvement",
        "target": "matviyenko|fc-consent-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 4",
    },
    {
        "evidence": "P-0008",
        "target_type": "involvement",
        "target": "matviyenko|fc-annexation-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 5",
    },
    {
        "evidence": "P-0009",
        "target_type": "tenure",
        "target": "volodin-pa-2011",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0009",
        "target_type": "tenure",
        "target": "volodin-duma-2016",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0009",
        "target_type": "involvement",
        "target": "volodin|duma-appeal-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 4",
    },
    {
        "evidence": "P-0009",
        "target_type": "involvement",
        "target": "volodin|duma-friendship-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 5",
    },
    {
        "evidence": "P-0009",
        "target_type": "involvement",
        "target": "volodin|duma-annexation-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 6",
    },
    {
        "evidence": "P-0010",
        "target_type": "tenure",
        "target": "belousov-mod-2024",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0010",
        "target_type": "tenure",
        "target": "belousov-fdpm-2020",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0011",
        "target_type": "tenure",
        "target": "peskov-press-2012",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0012",
        "target_type": "tenure",
        "target": "naryshkin-duma-2011",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0012",
        "target_type": "involvement",
        "target": "naryshkin|crimea-fkz-2014|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0012",
        "target_type": "tenure",
        "target": "naryshkin-svr-2016",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 4",
    },
    {
        "evidence": "P-0013",
        "target_type": "tenure",
        "target": "bortnikov-fsb-2008",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0014",
        "target_type": "involvement",
        "target": "zyuganov|duma-appeal-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0014",
        "target_type": "tenure",
        "target": "zyuganov-duma-1993",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0015",
        "target_type": "involvement",
        "target": "dzhabarov|fc-consent-2014|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0015",
        "target_type": "involvement",
        "target": "dzhabarov|fc-friendship-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0015",
        "target_type": "involvement",
        "target": "dzhabarov|fc-consent-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 4",
    },
    {
        "evidence": "P-0015",
        "target_type": "involvement",
        "target": "dzhabarov|fc-annexation-2022|voted_for",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 5",
    },
    {
        "evidence": "P-0016",
        "target_type": "tenure",
        "target": "gulevich-cgs-2014",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0016",
        "target_type": "involvement",
        "target": "gulevich|allied-resolve-2022|implemented",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 3",
    },
    {
        "evidence": "P-0017",
        "target_type": "tenure",
        "target": "volfovich-sc-2021",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0017",
        "target_type": "involvement",
        "target": "volfovich|allied-resolve-2022|implemented",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0019",
        "target_type": "tenure",
        "target": "no-mnd-2024",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0019",
        "target_type": "involvement",
        "target": "no-kwang-chol|kp-deployment-order-2024|implemented",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0020",
        "target_type": "involvement",
        "target": "kim-yong-bok|kp-deployment-order-2024|commanded",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0020",
        "target_type": "act",
        "target": "dprk-kursk-2024",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 2",
    },
    {
        "evidence": "P-0021",
        "target_type": "involvement",
        "target": "ri-chang-ho|kp-deployment-order-2024|implemented",
        "stance": "supports",
        "pinpoint": "Statement of reasons, sentence 1",
    },
    {
        "evidence": "P-0022",
        "target_type": "tenure",
        "target": "putin-president-2012",
        "stance": "supports",
        "pinpoint": "Title field",
    },
    {
        "evidence": "P-0023",
        "target_type": "tenure",
        "target": "lavrov-mfa-2004",
        "stance": "supports",
        "pinpoint": "Title field",
    },
    {
        "evidence": "P-0024",
        "target_type": "tenure",
        "target": "volodin-duma-2016",
        "stance": "supports",
        "pinpoint": "Title field",
    },
    {
        "evidence": "P-0025",
        "target_type": "tenure",
        "target": "kim-wpk-2021",
        "stance": "supports",
        "pinpoint": "Title field ('Chairman of the Workers' Party of Korea')",
    },
    {
        "evidence": "P-0028",
        "target_type": "act",
        "target": "crimea-2014",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 1, 5 and 6",
    },
    {
        "evidence": "P-0029",
        "target_type": "act",
        "target": "invasion-2022",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 2-4",
    },
    {
        "evidence": "P-0029",
        "target_type": "act",
        "target": "belarus-territory-2022",
        "stance": "supports",
        "pinpoint": "Operative paragraph on the involvement of Belarus",
    },
    {
        "evidence": "P-0030",
        "target_type": "act",
        "target": "annexation-2022",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 2 and 3",
    },
    {
        "evidence": "P-0030",
        "target_type": "decision",
        "target": "annexation-treaties-2022",
        "stance": "supports",
        "pinpoint": "Operative paragraph 2",
    },
    {
        "evidence": "P-0031",
        "target_type": "act",
        "target": "crimea-2014",
        "stance": "contradicts",
        "pinpoint": "Answer on the armed men in Crimea",
    },
    {
        "evidence": "P-0032",
        "target_type": "act",
        "target": "crimea-2014",
        "stance": "supports",
        "pinpoint": "Answer on the role of Russian servicemen in Crimea",
    },
    {
        "evidence": "P-0033",
        "target_type": "decision",
        "target": "crimea-treaty-2014",
        "stance": "supports",
        "pinpoint": "Closing part of the address and signing ceremony",
    },
    {
        "evidence": "P-0033",
        "target_type": "involvement",
        "target": "putin|crimea-treaty-2014|signed",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0034",
        "target_type": "decision",
        "target": "sc-meeting-2022",
        "stance": "supports",
        "pinpoint": "Whole transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "putin|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "lavrov|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "mishustin|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "medvedev|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "shoigu|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "patrushev|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "naryshkin|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "bortnikov|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "matviyenko|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "involvement",
        "target": "volodin|sc-meeting-2022|attended",
        "stance": "supports",
        "pinpoint": "Statement in the transcript",
    },
    {
        "evidence": "P-0035",
        "target_type": "decision",
        "target": "recognition-decrees-2022",
        "stance": "supports",
        "pinpoint": "Closing part of the address",
    },
    {
        "evidence": "P-0035",
        "target_type": "involvement",
        "target": "putin|recognition-decrees-2022|signed",
        "stance": "supports",
        "pinpoint": "Closing part of the address",
    },
    {
        "evidence": "P-0036",
        "target_type": "decision",
        "target": "fc-consent-2022",
        "stance": "supports",
        "pinpoint": "Report, paragraphs 1-3",
    },
    {
        "evidence": "P-0036",
        "target_type": "involvement",
        "target": "putin|fc-consent-2022|proposed",
        "stance": "supports",
        "pinpoint": "Report, paragraph 1",
    },
    {
        "evidence": "P-0037",
        "target_type": "decision",
        "target": "address-2022",
        "stance": "supports",
        "pinpoint": "Announcement of the decision",
    },
    {
        "evidence": "P-0037",
        "target_type": "involvement",
        "target": "putin|address-2022|ordered",
        "stance": "supports",
        "pinpoint": "Announcement of the decision",
    },
    {
        "evidence": "P-0037",
        "target_type": "act",
        "target": "invasion-2022",
        "stance": "supports",
        "pinpoint": "Whole address",
    },
    {
        "evidence": "P-0038",
        "target_type": "act",
        "target": "invasion-2022",
        "stance": "contradicts",
        "pinpoint": "Quoted statement of 19 January 2022",
    },
    {
        "evidence": "P-0038",
        "target_type": "tenure",
        "target": "ryabkov-mfa-2008",
        "stance": "supports",
        "pinpoint": "Identification as Deputy Foreign Minister",
    },
    {
        "evidence": "P-0039",
        "target_type": "decision",
        "target": "allied-resolve-2022",
        "stance": "supports",
        "pinpoint": "Paragraphs 1-4",
    },
    {
        "evidence": "P-0039",
        "target_type": "involvement",
        "target": "shoigu|allied-resolve-2022|implemented",
        "stance": "supports",
        "pinpoint": "Paragraph 2",
    },
    {
        "evidence": "P-0039",
        "target_type": "involvement",
        "target": "lukashenko|allied-resolve-2022|ordered",
        "stance": "supports",
        "pinpoint": "Paragraph 4",
    },
    {
        "evidence": "P-0039",
        "target_type": "involvement",
        "target": "putin|allied-resolve-2022|ordered",
        "stance": "supports",
        "pinpoint": "Paragraph 4",
    },
    {
        "evidence": "P-0040",
        "target_type": "decision",
        "target": "allied-resolve-extension-2022",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0040",
        "target_type": "involvement",
        "target": "khrenin|allied-resolve-extension-2022|implemented",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0040",
        "target_type": "involvement",
        "target": "lukashenko|allied-resolve-extension-2022|ordered",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0040",
        "target_type": "involvement",
        "target": "putin|allied-resolve-extension-2022|ordered",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0040",
        "target_type": "tenure",
        "target": "khrenin-mod-2020",
        "stance": "supports",
        "pinpoint": "Identification as Minister of Defence",
    },
    {
        "evidence": "P-0041",
        "target_type": "act",
        "target": "belarus-territory-2022",
        "stance": "contradicts",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0041",
        "target_type": "decision",
        "target": "allied-resolve-extension-2022",
        "stance": "contradicts",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0041",
        "target_type": "tenure",
        "target": "makei-mfa-2012",
        "stance": "supports",
        "pinpoint": "Identification as Minister of Foreign Affairs",
    },
    {
        "evidence": "P-0042",
        "target_type": "act",
        "target": "belarus-territory-2022",
        "stance": "contradicts",
        "pinpoint": "Report, paragraphs 2-5",
    },
    {
        "evidence": "P-0043",
        "target_type": "act",
        "target": "belarus-territory-2022",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0043",
        "target_type": "tenure",
        "target": "lukashenko-president-1994",
        "stance": "supports",
        "pinpoint": "Identification as President of Belarus",
    },
    {
        "evidence": "P-0044",
        "target_type": "decision",
        "target": "ru-dprk-treaty-2024",
        "stance": "supports",
        "pinpoint": "Signature block and Article 4",
    },
    {
        "evidence": "P-0044",
        "target_type": "involvement",
        "target": "putin|ru-dprk-treaty-2024|signed",
        "stance": "supports",
        "pinpoint": "Signature block",
    },
    {
        "evidence": "P-0044",
        "target_type": "involvement",
        "target": "kim-jong-un|ru-dprk-treaty-2024|signed",
        "stance": "supports",
        "pinpoint": "Signature block",
    },
    {
        "evidence": "P-0044",
        "target_type": "tenure",
        "target": "kim-sac-2016",
        "stance": "supports",
        "pinpoint": "Signature block (President of the State Affairs of the DPRK)",
    },
    {
        "evidence": "P-0045",
        "target_type": "decision",
        "target": "ru-dprk-ratification-2024",
        "stance": "supports",
        "pinpoint": "Paragraphs 1-3",
    },
    {
        "evidence": "P-0045",
        "target_type": "involvement",
        "target": "putin|ru-dprk-ratification-2024|signed",
        "stance": "supports",
        "pinpoint": "Paragraph 3",
    },
    {
        "evidence": "P-0046",
        "target_type": "decision",
        "target": "kp-dprk-ratification-2024",
        "stance": "supports",
        "pinpoint": "Paragraphs 1-2",
    },
    {
        "evidence": "P-0046",
        "target_type": "involvement",
        "target": "kim-jong-un|kp-dprk-ratification-2024|signed",
        "stance": "supports",
        "pinpoint": "Paragraph 2",
    },
    {
        "evidence": "P-0047",
        "target_type": "tenure",
        "target": "no-mnd-2024",
        "stance": "supports",
        "pinpoint": "Paragraphs 1-2",
    },
    {
        "evidence": "P-0048",
        "target_type": "act",
        "target": "dprk-kursk-2024",
        "stance": "contradicts",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0048",
        "target_type": "decision",
        "target": "kp-deployment-order-2024",
        "stance": "contradicts",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0049",
        "target_type": "act",
        "target": "dprk-kursk-2024",
        "stance": "contradicts",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0050",
        "target_type": "decision",
        "target": "ru-kursk-acknowledgement-2025",
        "stance": "supports",
        "pinpoint": "Report, paragraph 1",
    },
    {
        "evidence": "P-0050",
        "target_type": "involvement",
        "target": "gerasimov|ru-kursk-acknowledgement-2025|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Quoted remark",
    },
    {
        "evidence": "P-0050",
        "target_type": "act",
        "target": "dprk-kursk-2024",
        "stance": "supports",
        "pinpoint": "Report, paragraph 1",
    },
    {
        "evidence": "P-0050",
        "target_type": "tenure",
        "target": "gerasimov-cgs-2012",
        "stance": "supports",
        "pinpoint": "Identification as Chief of the General Staff",
    },
    {
        "evidence": "P-0051",
        "target_type": "decision",
        "target": "kp-deployment-order-2024",
        "stance": "supports",
        "pinpoint": "Written position, passage on the decision of the head of state",
    },
    {
        "evidence": "P-0051",
        "target_type": "involvement",
        "target": "kim-jong-un|kp-deployment-order-2024|ordered",
        "stance": "supports",
        "pinpoint": "Written position, passage on the decision",
    },
    {
        "evidence": "P-0051",
        "target_type": "decision",
        "target": "kp-kursk-acknowledgement-2025",
        "stance": "supports",
        "pinpoint": "Whole statement",
    },
    {
        "evidence": "P-0051",
        "target_type": "act",
        "target": "dprk-kursk-2024",
        "stance": "supports",
        "pinpoint": "Whole statement",
    },
    {
        "evidence": "P-0052",
        "target_type": "involvement",
        "target": "kim-jong-un|kp-kursk-acknowledgement-2025|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Quoted remarks",
    },
    {
        "evidence": "P-0053",
        "target_type": "involvement",
        "target": "putin|ru-kursk-acknowledgement-2025|publicly_endorsed",
        "stance": "supports",
        "pinpoint": "Whole statement",
    },
    {
        "evidence": "P-0054",
        "target_type": "decision",
        "target": "fc-consent-2014",
        "stance": "supports",
        "pinpoint": "Whole item",
    },
    {
        "evidence": "P-0054",
        "target_type": "involvement",
        "target": "putin|fc-consent-2014|proposed",
        "stance": "supports",
        "pinpoint": "Whole item",
    },
    {
        "evidence": "P-0055",
        "target_type": "decision",
        "target": "crimea-fkz-2014",
        "stance": "supports",
        "pinpoint": "Opening articles",
    },
    {
        "evidence": "P-0055",
        "target_type": "involvement",
        "target": "putin|crimea-fkz-2014|signed",
        "stance": "supports",
        "pinpoint": "Signature",
    },
    {
        "evidence": "P-0056",
        "target_type": "decision",
        "target": "fc-consent-2022",
        "stance": "supports",
        "pinpoint": "Operative part",
    },
    {
        "evidence": "P-0056",
        "target_type": "involvement",
        "target": "matviyenko|fc-consent-2022|signed",
        "stance": "supports",
        "pinpoint": "Signature",
    },
    {
        "evidence": "P-0057",
        "target_type": "decision",
        "target": "mobilisation-2022",
        "stance": "supports",
        "pinpoint": "Paragraph 1",
    },
    {
        "evidence": "P-0057",
        "target_type": "involvement",
        "target": "putin|mobilisation-2022|signed",
        "stance": "supports",
        "pinpoint": "Signature",
    },
    {
        "evidence": "P-0058",
        "target_type": "decision",
        "target": "annexation-treaties-2022",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0058",
        "target_type": "involvement",
        "target": "putin|annexation-treaties-2022|signed",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0058",
        "target_type": "act",
        "target": "annexation-2022",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "lavrov-mfa-2004",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "mishustin-pm-2020",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "medvedev-sc-2020",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "shoigu-mod-2012",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "patrushev-sc-2008",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "naryshkin-svr-2016",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "bortnikov-fsb-2008",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "matviyenko-fc-2011",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0034",
        "target_type": "tenure",
        "target": "volodin-duma-2016",
        "stance": "supports",
        "pinpoint": "Speakers' posts as given in the transcript",
    },
    {
        "evidence": "P-0037",
        "target_type": "tenure",
        "target": "putin-president-2012",
        "stance": "supports",
        "pinpoint": "Delivered as President of the Russian Federation",
    },
    {
        "evidence": "P-0040",
        "target_type": "tenure",
        "target": "lukashenko-president-1994",
        "stance": "supports",
        "pinpoint": "Decision taken by the Presidents of Belarus and Russia",
    },
    {
        "evidence": "P-0040",
        "target_type": "involvement",
        "target": "lukashenko|allied-resolve-extension-2022|allowed",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0028",
        "target_type": "act_assessment",
        "target": "crimea-2014|character",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 1, 5 and 6",
    },
    {
        "evidence": "P-0055",
        "target_type": "act_assessment",
        "target": "crimea-2014|character",
        "stance": "supports",
        "pinpoint": "Articles 1 and 2",
    },
    {
        "evidence": "P-0032",
        "target_type": "act_assessment",
        "target": "crimea-2014|gravity",
        "stance": "supports",
        "pinpoint": "Answer on the role of Russian servicemen in Crimea",
    },
    {
        "evidence": "P-0055",
        "target_type": "act_assessment",
        "target": "crimea-2014|scale",
        "stance": "supports",
        "pinpoint": "Article 1",
    },
    {
        "evidence": "P-0037",
        "target_type": "act_assessment",
        "target": "invasion-2022|character",
        "stance": "supports",
        "pinpoint": "Whole address",
    },
    {
        "evidence": "P-0029",
        "target_type": "act_assessment",
        "target": "invasion-2022|character",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 2-4",
    },
    {
        "evidence": "P-0059",
        "target_type": "act_assessment",
        "target": "invasion-2022|gravity",
        "stance": "supports",
        "pinpoint": "Operative paragraph 86(1)",
    },
    {
        "evidence": "P-0060",
        "target_type": "act_assessment",
        "target": "invasion-2022|scale",
        "stance": "supports",
        "pinpoint": "Civilian casualty figures",
    },
    {
        "evidence": "P-0061",
        "target_type": "act_assessment",
        "target": "invasion-2022|scale",
        "stance": "supports",
        "pinpoint": "Refugees from Ukraine recorded globally",
    },
    {
        "evidence": "P-0030",
        "target_type": "act_assessment",
        "target": "annexation-2022|character",
        "stance": "supports",
        "pinpoint": "Operative paragraphs 2 and 3",
    },
    {
        "evidence": "P-0058",
        "target_type": "act_assessment",
        "target": "annexation-2022|character",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0030",
        "target_type": "act_assessment",
        "target": "annexation-2022|gravity",
        "stance": "supports",
        "pinpoint": "Operative paragraph 3",
    },
    {
        "evidence": "P-0058",
        "target_type": "act_assessment",
        "target": "annexation-2022|scale",
        "stance": "supports",
        "pinpoint": "Signing ceremony",
    },
    {
        "evidence": "P-0029",
        "target_type": "act_assessment",
        "target": "belarus-territory-2022|character",
        "stance": "supports",
        "pinpoint": "Operative paragraph on the involvement of Belarus",
    },
    {
        "evidence": "P-0043",
        "target_type": "act_assessment",
        "target": "belarus-territory-2022|gravity",
        "stance": "supports",
        "pinpoint": "Quoted statement",
    },
    {
        "evidence": "P-0051",
        "target_type": "act_assessment",
        "target": "dprk-kursk-2024|character",
        "stance": "supports",
        "pinpoint": "Whole statement",
    },
    {
        "evidence": "P-0050",
        "target_type": "act_assessment",
        "target": "dprk-kursk-2024|gravity",
        "stance": "supports",
        "pinpoint": "Report, paragraph 1",
    },
    {
        "evidence": "P-0062",
        "target_type": "act_assessment",
        "target": "dprk-kursk-2024|scale",
        "stance": "supports",
        "pinpoint": "Briefing figures",
    },
]

DOSSIERS = [
    {
        "official": "putin",
        "status": "under_review",
        "theory": (
            "As President he proposed the use of force, ordered the 'special military operation' and signed the "
            "recognition decrees, annexation 'treaties' and the DPRK treaty."
        ),
        # The modes of liability (Rome Statute Art. 25(3)) the prosecutors chose to charge, and why
        "mode_choice": {
            "modes": ["co_perpetration", "ordering"],
            "reason": (
                "He signed the decrees of 21 February 2022 recognising the 'DPR' and 'LPR' and the annexation "
                "'treaties' of 30 September 2022 (co-perpetration, Art. 25(3)(a)), and ordered the 'special military "
                "operation' in his address of 24 February 2022 (ordering, Art. 25(3)(b)). Indirect perpetration "
                "through the armed forces stays under review until the chain of command is documented."
            ),
        },
    },
    {
        "official": "shoigu",
        "status": "under_review",
        "theory": (
            "As Minister of Defence he commanded the forces that launched the full-scale invasion on 24 February 2022 "
            "and prepared their deployment in Belarus."
        ),
    },
    {
        "official": "gerasimov",
        "status": "recommended_for_indictment",
        "theory": (
            "As Chief of the General Staff he directed the deployment along the border and the military attack of "
            "February 2022."
        ),
    },
    {
        "official": "matviyenko",
        "status": "candidate",
        "theory": (
            "As Chair of the Federation Council she signed and voted for the consent of 22 February 2022 to use the "
            "armed forces abroad."
        ),
    },
    {
        "official": "lukashenko",
        "status": "candidate",
        "theory": (
            "As President of Belarus he ordered, with Putin, the exercise and its continuation that let Russian forces "
            "invade Ukraine from Belarusian territory."
        ),
    },
    {
        "official": "khrenin",
        "status": "candidate",
        "theory": (
            "As Minister of Defence of Belarus he implemented the continuation of the joint exercise that kept Russian "
            "forces in Belarus until the invasion."
        ),
    },
    {
        "official": "kim-jong-un",
        "status": "under_review",
        "theory": (
            "As head of state and Chairman of the WPK Central Military Commission he ordered the deployment of DPRK "
            "armed forces to fight against Ukrainian forces in the Kursk region."
        ),
    },
    {
        "official": "makei",
        "status": "closed",
        "theory": "Closed: the official died on 26 November 2022; his public denials are kept as exculpatory material.",
    },
]

# Import rules (data, editable in the interface): phrases in a sanctions listing's statement
# of reasons or position text that link the listed person to a decision or a post.
IMPORT_RULES = [
    {
        "kind": "involvement",
        "pattern": "58243-8",
        "decision": "duma-appeal-2022",
        "role": "voted_for",
        "note": "EU listings of 23 February 2022: deputies who voted for State Duma resolution No. 58243-8.",
    },
    {
        "kind": "involvement",
        "pattern": "Federation Council who ratified the government decisions on the 'Treaty of Friendship, "
        "Cooperation and Mutual Assistance",
        "decision": "fc-friendship-2022",
        "role": "voted_for",
        "note": "EU listings of 9 March 2022: members of the Federation Council who ratified the treaties on "
        "22 February 2022.",
    },
    {
        "kind": "involvement",
        "pattern": "Federation Council of the Russian Federation that ratified the government decisions on the "
        "'Treaty of Friendship, Cooperation and Mutual Assistance",
        "decision": "fc-friendship-2022",
        "role": "voted_for",
        "note": "The same vote, as later listings word it.",
    },
    {
        "kind": "involvement",
        "pattern": "Federation Council that ratified the government decisions on the 'Treat",
        "decision": "fc-friendship-2022",
        "role": "voted_for",
        "note": "Former members listed for the same vote ('Treaty' or 'Treaties').",
    },
    {
        "kind": "involvement",
        "pattern": "State Duma who ratified the government decisions",
        "decision": "duma-friendship-2022",
        "role": "voted_for",
        "note": "Deputies listed for the State Duma's ratification of the same treaties.",
    },
    {
        "kind": "position",
        "pattern": "Member of the State Duma",
        "position": "ru-duma-deputy",
        "note": "EU listings name deputies as members of the State Duma.",
    },
    {
        "kind": "position",
        "pattern": "Member of the Federation Council",
        "position": "ru-fc-member",
        "note": "EU listings name senators as members of the Federation Council.",
    },
]
