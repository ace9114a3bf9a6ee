/* country: ISO 3166-1 country codes from names and free-text locations. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "country.h"
#include "banned.h"

/*
 * The answer feeds an eligibility rule ("located in the US"), so every
 * choice below leans one way: a wrong "US" is worse than no answer.
 *
 * sp_country_code() takes any assigned alpha-2 code, "UK", and the
 * alpha-3 codes and names of the countries in countries[] below.
 *
 * sp_country_from_location() reads a profile location like this:
 *
 *  - Case is ignored except where noted; accents on Latin-1 letters are
 *    dropped ("Bogotá" is "bogota"), dots vanish ("U.S.A." is "usa",
 *    "D.C." is "dc"), a hyphen inside a word is a space ("Winston-Salem"),
 *    other punctuation and white space collapse to one space.
 *  - Commas split a place into parts that narrow each other ("Paris, TX").
 *    "/", "|", ";", "&", "+", a spaced " - ", dashes, "·", arrows, emoji
 *    and other symbols split the text into separate places ("NYC / LDN").
 *  - Each part that names something known gives the set of countries it
 *    could be in: "Austin" {US}, "Paris" {FR, US}, "Georgia" {US, GE},
 *    "CA" {US, CA}.  Parts of one place intersect.  Unknown parts ("Earth",
 *    "she", "127.0.0.1") say nothing.
 *  - Every place, and every flag emoji (two Regional Indicator Symbols, or
 *    a U+1F3F4 tag sequence such as Scotland's, which gives its country),
 *    must come to the same single country.  A place left with two or more
 *    candidates, a place whose parts contradict each other, or two places
 *    (or flags) naming different countries all give NULL.
 *  - US state and DC postal codes: a code that is not also an ISO country
 *    code ("TX", "NY") means US after an earlier part ("Paris, TX"), or
 *    alone when written in upper case and not an English word (so "NY" but
 *    not "OK", "OR", "OH", "HI").  A code that is also a country code
 *    ("CA", "IN", "DE", "GA", ...) or that another country writes after a
 *    town ("WA" in Australia; Italian provinces "MI", "CT", "VT", "RI",
 *    "OR"; Indian states "CT", "OR", "UT") keeps both readings, so it needs
 *    a known US city beside it: "Sacramento, CA" is US, "CA" and
 *    "Berlin, DE" are NULL.
 *  - A two-letter country code must be upper case unless it follows an
 *    earlier part; three-letter codes must be upper case ("USA" in any
 *    case): "it/its" and "can" are words, not Italy and Canada.  Only the
 *    codes of the countries named below count ("AI" is not Anguilla);
 *    flags count for every assigned code.
 *  - "Town ST" without a comma counts when ST is upper case and the town
 *    is known, or when ST is a plain US code after capitalised words
 *    ("Round Rock TX", not "I love NY").  A trailing ZIP code is ignored.
 *  - A leading "the" and a leading direction ("North Texas", "Greater
 *    Boston") are ignored when what remains is a known state or city, never
 *    for countries: "South America" and "Latin America" are not "America".
 *  - Cities with a notable namesake in another country (a capital, a city
 *    of about 100,000, or a namesake people often mean) carry every
 *    candidate: "London", "Portland", "San Jose", "Richmond" alone are
 *    NULL.  "LA" alone is Los Angeles (Louisiana is US too; Laos needs a
 *    city).  Only "/", "|" and the like separate places, and a place left
 *    ambiguous spoils the answer, so "Paris - France" is NULL like
 *    "NYC / London": the two cannot be told apart.
 *  - Puerto Rico, Guam and the US Virgin Islands have their own ISO codes
 *    and keep them ("San Juan, PR" is PR, not US): whether a territory
 *    counts as the US is the caller's rule, not ours.  Washington, D.C. is
 *    US.  "Georgia" is never guessed: it needs a US city ("Atlanta,
 *    Georgia") or "USA" beside it, or Tbilisi for the country.
 */

/* Every officially assigned ISO 3166-1 alpha-2 code, sorted. */
static const char *const iso2[] = {
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT",
	"AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI",
	"BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
	"BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
	"CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
	"DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
	"FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
	"GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
	"HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
	"IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
	"KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
	"LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
	"ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW",
	"MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
	"NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
	"PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
	"SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
	"SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
	"TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
	"TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
	"VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};
#define NISO	(sizeof(iso2) / sizeof(iso2[0]))

struct name {
	const char	*name;	/* normalised: see the comment above */
	const char	*codes;	/* one or more alpha-2 codes, run together */
};

/*
 * Countries by name, for both functions.  The codes here are also the
 * "common" ones a bare two-letter code in a location may stand for; rarer
 * codes ("AI", "TV", "PM") are more often something else.  Not here on
 * purpose: "Georgia" and "Jersey" (US states too), "Korea" (which one).
 */
static const struct name countries[] = {
	{ "united states", "US" }, { "united states of america", "US" },
	{ "us of a", "US" }, { "u s", "US" }, { "u s a", "US" },
	{ "america", "US" }, { "the states", "US" },
	{ "estados unidos", "US" }, { "etats unis", "US" },
	{ "canada", "CA" },
	{ "united kingdom", "GB" }, { "great britain", "GB" },
	{ "britain", "GB" }, { "england", "GB" }, { "scotland", "GB" },
	{ "wales", "GB" }, { "northern ireland", "GB" }, { "u k", "GB" },
	{ "ireland", "IE" }, { "republic of ireland", "IE" }, { "eire", "IE" },
	{ "australia", "AU" }, { "new zealand", "NZ" }, { "aotearoa", "NZ" },
	{ "india", "IN" }, { "bharat", "IN" }, { "pakistan", "PK" },
	{ "nigeria", "NG" }, { "naija", "NG" }, { "kenya", "KE" },
	{ "south africa", "ZA" }, { "ghana", "GH" },
	{ "brazil", "BR" }, { "brasil", "BR" }, { "mexico", "MX" },
	{ "argentina", "AR" }, { "colombia", "CO" }, { "chile", "CL" },
	{ "peru", "PE" }, { "venezuela", "VE" },
	{ "france", "FR" }, { "germany", "DE" }, { "deutschland", "DE" },
	{ "spain", "ES" }, { "espana", "ES" }, { "portugal", "PT" },
	{ "italy", "IT" }, { "italia", "IT" },
	{ "netherlands", "NL" }, { "holland", "NL" }, { "nederland", "NL" },
	{ "belgium", "BE" }, { "belgique", "BE" }, { "belgie", "BE" },
	{ "switzerland", "CH" }, { "schweiz", "CH" }, { "suisse", "CH" },
	{ "svizzera", "CH" }, { "austria", "AT" }, { "osterreich", "AT" },
	{ "sweden", "SE" }, { "sverige", "SE" }, { "norway", "NO" },
	{ "norge", "NO" }, { "denmark", "DK" }, { "danmark", "DK" },
	{ "finland", "FI" }, { "suomi", "FI" }, { "poland", "PL" },
	{ "polska", "PL" }, { "ukraine", "UA" }, { "ukraina", "UA" },
	{ "russia", "RU" }, { "russian federation", "RU" },
	{ "turkey", "TR" }, { "turkiye", "TR" }, { "israel", "IL" },
	{ "united arab emirates", "AE" }, { "uae", "AE" },
	{ "saudi arabia", "SA" }, { "ksa", "SA" }, { "egypt", "EG" },
	{ "japan", "JP" }, { "nippon", "JP" },
	{ "south korea", "KR" }, { "republic of korea", "KR" },
	{ "korea republic of", "KR" }, { "north korea", "KP" },
	{ "china", "CN" }, { "people's republic of china", "CN" },
	{ "peoples republic of china", "CN" }, { "prc", "CN" },
	{ "hong kong", "HK" }, { "taiwan", "TW" }, { "singapore", "SG" },
	{ "malaysia", "MY" }, { "indonesia", "ID" }, { "philippines", "PH" },
	{ "thailand", "TH" }, { "vietnam", "VN" }, { "viet nam", "VN" },
	{ "bangladesh", "BD" }, { "sri lanka", "LK" }, { "nepal", "NP" },
	{ "greece", "GR" }, { "czech republic", "CZ" }, { "czechia", "CZ" },
	{ "hungary", "HU" }, { "romania", "RO" }, { "iceland", "IS" },
	{ "jamaica", "JM" }, { "trinidad and tobago", "TT" },
	{ "trinidad", "TT" }, { "tobago", "TT" },
	{ "puerto rico", "PR" }, { "guam", "GU" },
	{ "us virgin islands", "VI" }, { "u s virgin islands", "VI" },
	{ "morocco", "MA" }, { "ethiopia", "ET" }, { "uganda", "UG" },
	{ "tanzania", "TZ" }, { "rwanda", "RW" }, { "cameroon", "CM" },
	{ "senegal", "SN" }, { "ivory coast", "CI" },
	{ "cote d'ivoire", "CI" }, { "cote divoire", "CI" },
	{ "qatar", "QA" }, { "kuwait", "KW" }, { "lebanon", "LB" },
	{ "jordan", "JO" }, { "iran", "IR" }, { "iraq", "IQ" },
	{ "dominican republic", "DO" }, { "cuba", "CU" }, { "haiti", "HT" },
	{ "bahamas", "BS" }, { "panama", "PA" }, { "costa rica", "CR" },
	{ "guatemala", "GT" }, { "ecuador", "EC" }, { "uruguay", "UY" },
	{ "bolivia", "BO" }, { "paraguay", "PY" }, { "zimbabwe", "ZW" },
	{ "zambia", "ZM" }, { "algeria", "DZ" }, { "tunisia", "TN" },
	{ "afghanistan", "AF" }, { "kazakhstan", "KZ" }, { "belarus", "BY" },
	{ "serbia", "RS" }, { "croatia", "HR" }, { "bulgaria", "BG" },
	{ "slovakia", "SK" }, { "slovenia", "SI" }, { "estonia", "EE" },
	{ "latvia", "LV" }, { "lithuania", "LT" }, { "luxembourg", "LU" },
	{ "malta", "MT" }, { "cyprus", "CY" }, { "palestine", "PS" },
};

/* ISO 3166-1 alpha-3 codes of the countries above. */
static const struct name alpha3[] = {
	{ "afg", "AF" }, { "are", "AE" }, { "arg", "AR" }, { "aus", "AU" },
	{ "aut", "AT" }, { "bel", "BE" }, { "bgd", "BD" }, { "bgr", "BG" },
	{ "bhs", "BS" }, { "blr", "BY" }, { "bol", "BO" }, { "bra", "BR" },
	{ "can", "CA" }, { "che", "CH" }, { "chl", "CL" }, { "chn", "CN" },
	{ "civ", "CI" }, { "cmr", "CM" }, { "col", "CO" }, { "cri", "CR" },
	{ "cub", "CU" }, { "cyp", "CY" }, { "cze", "CZ" }, { "deu", "DE" },
	{ "dnk", "DK" }, { "dom", "DO" }, { "dza", "DZ" }, { "ecu", "EC" },
	{ "egy", "EG" }, { "esp", "ES" }, { "est", "EE" }, { "eth", "ET" },
	{ "fin", "FI" }, { "fra", "FR" }, { "gbr", "GB" }, { "gha", "GH" },
	{ "grc", "GR" }, { "gtm", "GT" }, { "gum", "GU" }, { "hkg", "HK" },
	{ "hrv", "HR" }, { "hti", "HT" }, { "hun", "HU" }, { "idn", "ID" },
	{ "ind", "IN" }, { "irl", "IE" }, { "irn", "IR" }, { "irq", "IQ" },
	{ "isl", "IS" }, { "isr", "IL" }, { "ita", "IT" }, { "jam", "JM" },
	{ "jor", "JO" }, { "jpn", "JP" }, { "kaz", "KZ" }, { "ken", "KE" },
	{ "kor", "KR" }, { "kwt", "KW" }, { "lbn", "LB" }, { "lka", "LK" },
	{ "ltu", "LT" }, { "lux", "LU" }, { "lva", "LV" }, { "mar", "MA" },
	{ "mex", "MX" }, { "mlt", "MT" }, { "mys", "MY" }, { "nga", "NG" },
	{ "nld", "NL" }, { "nor", "NO" }, { "npl", "NP" }, { "nzl", "NZ" },
	{ "pak", "PK" }, { "pan", "PA" }, { "per", "PE" }, { "phl", "PH" },
	{ "pol", "PL" }, { "pri", "PR" }, { "prt", "PT" }, { "pry", "PY" },
	{ "pse", "PS" }, { "qat", "QA" }, { "rou", "RO" }, { "rus", "RU" },
	{ "rwa", "RW" }, { "sau", "SA" }, { "sen", "SN" }, { "sgp", "SG" },
	{ "srb", "RS" }, { "svk", "SK" }, { "svn", "SI" }, { "swe", "SE" },
	{ "tha", "TH" }, { "tto", "TT" }, { "tun", "TN" }, { "tur", "TR" },
	{ "twn", "TW" }, { "tza", "TZ" }, { "uga", "UG" }, { "ukr", "UA" },
	{ "ury", "UY" }, { "usa", "US" }, { "ven", "VE" }, { "vir", "VI" },
	{ "vnm", "VN" }, { "zaf", "ZA" }, { "zmb", "ZM" }, { "zwe", "ZW" },
};

/*
 * Places inside countries, for locations only: a declared country of
 * "Texas" is not a country.  A set with US and others is a name that is
 * also notable elsewhere; it needs another part to settle it.
 */
static const struct name places[] = {
	/* US states, DC, and regions. */
	{ "alabama", "US" }, { "alaska", "US" }, { "arizona", "US" },
	{ "arkansas", "US" }, { "california", "US" }, { "colorado", "US" },
	{ "connecticut", "US" }, { "delaware", "US" }, { "florida", "US" },
	{ "georgia", "USGE" }, { "hawaii", "US" }, { "idaho", "US" },
	{ "illinois", "US" }, { "indiana", "US" }, { "iowa", "US" },
	{ "kansas", "US" }, { "kentucky", "US" }, { "louisiana", "US" },
	{ "maine", "US" }, { "maryland", "US" }, { "massachusetts", "US" },
	{ "michigan", "US" }, { "minnesota", "US" }, { "mississippi", "US" },
	{ "missouri", "US" }, { "montana", "US" }, { "nebraska", "US" },
	{ "nevada", "US" }, { "new hampshire", "US" }, { "new jersey", "US" },
	{ "new mexico", "US" }, { "new york", "US" },
	{ "north carolina", "US" }, { "north dakota", "US" }, { "ohio", "US" },
	{ "oklahoma", "US" }, { "oregon", "US" }, { "pennsylvania", "US" },
	{ "rhode island", "US" }, { "south carolina", "US" },
	{ "south dakota", "US" }, { "tennessee", "US" }, { "texas", "US" },
	{ "utah", "US" }, { "vermont", "US" }, { "virginia", "US" },
	{ "washington", "US" }, { "washington state", "US" },
	{ "west virginia", "US" }, { "wisconsin", "US" }, { "wyoming", "US" },
	{ "district of columbia", "US" }, { "washington dc", "US" },
	{ "dmv", "US" }, { "socal", "US" }, { "norcal", "US" },
	{ "new england", "US" }, { "midwest", "US" },
	{ "south jersey", "US" }, { "north jersey", "US" },
	{ "central jersey", "US" }, { "jersey", "USJE" }, { "cali", "USCO" },
	/* US cities and their nicknames. */
	{ "new york city", "US" }, { "nyc", "US" }, { "brooklyn", "US" },
	{ "queens", "US" }, { "manhattan", "US" }, { "bronx", "US" },
	{ "staten island", "US" }, { "harlem", "US" },
	{ "long island", "US" }, { "los angeles", "US" },
	{ "hollywood", "US" }, { "santa monica", "US" },
	{ "beverly hills", "US" }, { "malibu", "US" }, { "burbank", "US" },
	{ "pasadena", "US" }, { "long beach", "US" },
	{ "orange county", "US" }, { "anaheim", "US" }, { "irvine", "USGB" },
	{ "san diego", "US" }, { "chula vista", "US" },
	{ "san francisco", "US" }, { "sf", "US" }, { "bay area", "US" },
	{ "sf bay area", "US" },
	{ "silicon valley", "US" }, { "oakland", "US" }, { "berkeley", "US" },
	{ "palo alto", "US" }, { "mountain view", "US" },
	{ "menlo park", "US" }, { "cupertino", "US" }, { "sunnyvale", "US" },
	{ "santa clara", "USCU" }, { "san jose", "USCR" }, { "fremont", "US" },
	{ "sacramento", "US" }, { "fresno", "US" }, { "bakersfield", "US" },
	{ "modesto", "US" }, { "stockton", "USGB" }, { "riverside", "US" },
	{ "san bernardino", "US" }, { "inland empire", "US" },
	{ "santa barbara", "US" },
	{ "chicago", "US" }, { "chi town", "US" }, { "chitown", "US" },
	{ "naperville", "US" }, { "evanston", "US" }, { "rockford", "US" },
	{ "peoria", "US" }, { "champaign", "US" },
	{ "houston", "US" }, { "htx", "US" }, { "dallas", "US" },
	{ "fort worth", "US" }, { "dfw", "US" }, { "austin", "US" },
	{ "atx", "US" }, { "san antonio", "US" }, { "el paso", "US" },
	{ "arlington", "US" }, { "plano", "US" }, { "frisco", "US" },
	{ "irving", "US" }, { "garland", "US" }, { "round rock", "US" },
	{ "corpus christi", "US" }, { "lubbock", "US" }, { "amarillo", "US" },
	{ "waco", "US" }, { "laredo", "US" }, { "galveston", "US" },
	{ "mcallen", "US" },
	{ "phoenix", "US" }, { "phx", "US" }, { "tucson", "US" },
	{ "tempe", "US" }, { "mesa", "US" }, { "scottsdale", "US" },
	{ "chandler", "US" }, { "gilbert", "US" }, { "glendale", "US" },
	{ "flagstaff", "US" }, { "sedona", "US" },
	{ "philadelphia", "US" }, { "philly", "US" }, { "pittsburgh", "US" },
	{ "harrisburg", "US" }, { "allentown", "US" }, { "scranton", "US" },
	{ "jacksonville", "US" }, { "miami", "US" }, { "miami beach", "US" },
	{ "fort lauderdale", "US" }, { "west palm beach", "US" },
	{ "boca raton", "US" }, { "orlando", "US" }, { "tampa", "US" },
	{ "st petersburg", "USRU" }, { "saint petersburg", "USRU" },
	{ "sarasota", "US" }, { "fort myers", "US" },
	{ "tallahassee", "US" }, { "gainesville", "US" },
	{ "pensacola", "US" }, { "key west", "US" },
	{ "columbus", "US" }, { "cleveland", "US" }, { "cincinnati", "US" },
	{ "dayton", "US" }, { "akron", "US" }, { "youngstown", "US" },
	{ "charlotte", "US" }, { "raleigh", "US" }, { "durham", "USGB" },
	{ "chapel hill", "US" }, { "greensboro", "US" },
	{ "winston salem", "US" }, { "asheville", "US" },
	{ "wilmington", "US" },
	{ "indianapolis", "US" }, { "indy", "US" }, { "fort wayne", "US" },
	{ "evansville", "US" }, { "south bend", "US" },
	{ "bloomington", "US" },
	{ "seattle", "US" }, { "tacoma", "US" }, { "spokane", "US" },
	{ "bellevue", "US" }, { "redmond", "US" }, { "olympia", "US" },
	{ "denver", "US" }, { "boulder", "US" },
	{ "colorado springs", "US" }, { "fort collins", "US" },
	{ "nashville", "US" }, { "memphis", "US" }, { "knoxville", "US" },
	{ "chattanooga", "US" },
	{ "oklahoma city", "US" }, { "okc", "US" }, { "tulsa", "US" },
	{ "boston", "US" }, { "somerville", "US" }, { "springfield", "US" },
	{ "las vegas", "US" }, { "vegas", "US" },
	{ "north las vegas", "US" }, { "henderson", "US" }, { "reno", "US" },
	{ "detroit", "US" }, { "ann arbor", "US" }, { "grand rapids", "US" },
	{ "lansing", "US" }, { "flint", "US" }, { "kalamazoo", "US" },
	{ "louisville", "US" }, { "lexington", "US" },
	{ "bowling green", "US" },
	{ "baltimore", "US" }, { "annapolis", "US" },
	{ "milwaukee", "US" }, { "madison", "US" }, { "green bay", "US" },
	{ "albuquerque", "US" }, { "santa fe", "USAR" },
	{ "las cruces", "US" },
	{ "kansas city", "US" }, { "st louis", "US" },
	{ "saint louis", "USSN" },
	{ "stl", "US" }, { "wichita", "US" }, { "topeka", "US" },
	{ "overland park", "US" },
	{ "atlanta", "US" }, { "atl", "US" }, { "savannah", "US" },
	{ "augusta", "US" }, { "macon", "US" },
	{ "omaha", "US" }, { "minneapolis", "US" }, { "saint paul", "US" },
	{ "st paul", "US" }, { "twin cities", "US" }, { "duluth", "US" },
	{ "virginia beach", "US" }, { "chesapeake", "US" },
	{ "new orleans", "US" }, { "nola", "US" }, { "baton rouge", "US" },
	{ "shreveport", "US" }, { "lafayette", "US" },
	{ "honolulu", "US" }, { "maui", "US" }, { "oahu", "US" },
	{ "anchorage", "US" }, { "juneau", "US" }, { "fairbanks", "US" },
	{ "boise", "US" }, { "salt lake city", "US" }, { "slc", "US" },
	{ "provo", "US" }, { "ogden", "US" },
	{ "huntsville", "US" }, { "tuscaloosa", "US" },
	{ "little rock", "US" }, { "fayetteville", "US" },
	{ "bentonville", "US" },
	{ "des moines", "US" }, { "cedar rapids", "US" },
	{ "iowa city", "US" }, { "fargo", "US" }, { "sioux falls", "US" },
	{ "billings", "US" }, { "bozeman", "US" }, { "missoula", "US" },
	{ "cheyenne", "US" },
	{ "hartford", "US" }, { "new haven", "US" }, { "stamford", "US" },
	{ "bridgeport", "US" }, { "providence", "US" },
	{ "buffalo", "US" }, { "yonkers", "US" }, { "jersey city", "US" },
	{ "hoboken", "US" }, { "trenton", "US" }, { "atlantic city", "US" },
	{ "charleston", "US" }, { "columbia", "US" }, { "greenville", "US" },
	{ "myrtle beach", "US" }, { "gulfport", "US" }, { "biloxi", "US" },
	{ "eugene", "US" }, { "pdx", "US" },
	/* Names shared across borders: every candidate is listed. */
	{ "portland", "USGB" }, { "richmond", "USGBCAAU" },
	{ "birmingham", "GBUS" }, { "manchester", "GBUS" },
	{ "cambridge", "GBUSCA" }, { "oxford", "GBUS" },
	{ "bristol", "GBUS" }, { "worcester", "USGB" },
	{ "newark", "USGB" }, { "lincoln", "USGB" }, { "norfolk", "USGB" },
	{ "lancaster", "USGB" }, { "rochester", "USGB" },
	{ "albany", "USAU" }, { "syracuse", "USIT" }, { "ithaca", "USGR" },
	{ "salem", "USIN" }, { "toledo", "USES" }, { "aurora", "USCA" },
	{ "burlington", "USCA" }, { "alexandria", "EGUS" },
	{ "london", "GBCAUS" }, { "paris", "FRUS" }, { "perth", "AUGBCA" },
	{ "sydney", "AUCA" }, { "melbourne", "AUUS" },
	{ "vancouver", "CAUS" }, { "ottawa", "CAUS" },
	{ "hamilton", "CANZGBBMUS" }, { "kingston", "JMCAGBUS" },
	{ "waterloo", "CABEGBUS" }, { "victoria", "AUCAUSSC" },
	{ "dublin", "IEUS" }, { "lagos", "NG" }, { "berlin", "DEUS" },
	{ "hamburg", "DEUS" }, { "rome", "ITUS" }, { "milan", "ITUS" },
	{ "naples", "ITUS" }, { "florence", "ITUS" }, { "venice", "ITUS" },
	{ "amsterdam", "NLUS" }, { "geneva", "CHUS" }, { "vienna", "ATUS" },
	{ "warsaw", "PLUS" }, { "moscow", "RUUS" }, { "athens", "GRUS" },
	{ "cairo", "EGUS" }, { "lima", "PEUS" }, { "panama city", "PAUS" },
	{ "valencia", "ESVEUS" }, { "barcelona", "ESVE" },
	{ "cordoba", "ARES" }, { "santiago", "CLDOES" },
	{ "guadalajara", "MXES" }, { "hyderabad", "INPK" },
	{ "jerusalem", "ILPS" }, { "ontario", "CAUS" },
	{ "new brunswick", "CAUS" }, { "bc", "CAMX" },
	/* Elsewhere: these mostly stop a "NYC / Toronto" from being US. */
	{ "ldn", "GB" }, { "liverpool", "GBAU" }, { "leeds", "GB" },
	{ "glasgow", "GB" }, { "edinburgh", "GB" }, { "cardiff", "GB" },
	{ "belfast", "GB" }, { "cork", "IE" },
	{ "toronto", "CA" }, { "montreal", "CA" }, { "calgary", "CA" },
	{ "edmonton", "CA" }, { "winnipeg", "CA" }, { "quebec", "CA" },
	{ "quebec city", "CA" }, { "qc", "CA" }, { "british columbia", "CA" },
	{ "alberta", "CA" }, { "manitoba", "CA" }, { "saskatchewan", "CA" },
	{ "nova scotia", "CA" }, { "newfoundland", "CA" },
	{ "brisbane", "AU" }, { "adelaide", "AU" }, { "new south wales", "AU" },
	{ "nsw", "AU" }, { "queensland", "AU" }, { "qld", "AU" },
	{ "western australia", "AU" }, { "south australia", "AU" },
	{ "tasmania", "AU" }, { "auckland", "NZ" }, { "wellington", "NZ" },
	{ "abuja", "NG" }, { "port harcourt", "NG" }, { "ibadan", "NG" },
	{ "nairobi", "KE" }, { "mombasa", "KE" }, { "accra", "GH" },
	{ "kumasi", "GH" }, { "johannesburg", "ZA" }, { "joburg", "ZA" },
	{ "cape town", "ZA" }, { "durban", "ZA" }, { "pretoria", "ZA" },
	{ "casablanca", "MA" }, { "addis ababa", "ET" }, { "kampala", "UG" },
	{ "kigali", "RW" }, { "dar es salaam", "TZ" },
	{ "mumbai", "IN" }, { "bombay", "IN" }, { "delhi", "IN" },
	{ "new delhi", "IN" }, { "bangalore", "IN" }, { "bengaluru", "IN" },
	{ "chennai", "IN" }, { "kolkata", "IN" }, { "pune", "IN" },
	{ "karachi", "PK" }, { "lahore", "PK" }, { "islamabad", "PK" },
	{ "dhaka", "BD" }, { "colombo", "LK" }, { "kathmandu", "NP" },
	{ "munich", "DE" }, { "munchen", "DE" }, { "frankfurt", "DE" },
	{ "cologne", "DE" }, { "koln", "DE" }, { "madrid", "ES" },
	{ "seville", "ES" }, { "sevilla", "ES" }, { "lisbon", "PT" },
	{ "lisboa", "PT" }, { "porto", "PT" }, { "roma", "IT" },
	{ "milano", "IT" }, { "napoli", "IT" }, { "turin", "IT" },
	{ "torino", "IT" }, { "firenze", "IT" }, { "catania", "IT" },
	{ "rotterdam", "NL" }, { "the hague", "NL" }, { "brussels", "BE" },
	{ "zurich", "CH" }, { "wien", "AT" }, { "stockholm", "SE" },
	{ "oslo", "NO" }, { "copenhagen", "DK" }, { "helsinki", "FI" },
	{ "krakow", "PL" }, { "kyiv", "UA" }, { "kiev", "UA" },
	{ "istanbul", "TR" }, { "ankara", "TR" }, { "tel aviv", "IL" },
	{ "dubai", "AE" }, { "abu dhabi", "AE" }, { "riyadh", "SA" },
	{ "jeddah", "SA" }, { "doha", "QA" }, { "tbilisi", "GE" },
	{ "tokyo", "JP" }, { "osaka", "JP" }, { "kyoto", "JP" },
	{ "seoul", "KR" }, { "busan", "KR" }, { "beijing", "CN" },
	{ "shanghai", "CN" }, { "shenzhen", "CN" }, { "taipei", "TW" },
	{ "manila", "PH" }, { "jakarta", "ID" }, { "bali", "ID" },
	{ "bangkok", "TH" }, { "kuala lumpur", "MY" },
	{ "ho chi minh city", "VN" }, { "saigon", "VN" }, { "hanoi", "VN" },
	{ "sao paulo", "BR" }, { "rio de janeiro", "BR" },
	{ "brasilia", "BR" }, { "mexico city", "MX" }, { "cdmx", "MX" },
	{ "monterrey", "MX" }, { "tijuana", "MX" }, { "cancun", "MX" },
	{ "baja california", "MX" }, { "bogota", "CO" }, { "medellin", "CO" },
	{ "buenos aires", "AR" }, { "caracas", "VE" }, { "quito", "EC" },
	{ "montevideo", "UY" }, { "havana", "CU" },
};

/* US state and DC postal codes, sorted. */
static const char *const states[] = {
	"AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI",
	"IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN",
	"MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH",
	"OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA",
	"WI", "WV", "WY",
};

/*
 * State codes that another country writes after a town name, though they
 * are not its ISO code: Western Australia, Italian provinces (Milano,
 * Catania, Viterbo, Rieti, Oristano), Indian states (Chhattisgarh, Odisha
 * before 2011, Uttarakhand) and Catalonia.
 */
static const struct name stateclash[] = {
	{ "CT", "ITINES" }, { "MI", "IT" }, { "OR", "ITIN" }, { "RI", "IT" },
	{ "UT", "IN" }, { "VT", "IT" }, { "WA", "AU" },
};

/* Lone state codes that are also English words. */
static const char *const statewords[] = { "HI", "OH", "OK", "OR" };

/* Words before a state or city that do not change its country. */
static const char *const directions[] = {
	"north", "south", "east", "west", "northern", "southern", "eastern",
	"western", "central", "northeast", "northwest", "southeast",
	"southwest", "upstate", "downstate", "downtown", "uptown", "midtown",
	"greater", "metro", "inner", "outer", "rural", "coastal",
};

/*
 * Latin-1 letters U+00C0..U+00FF without their accents, case kept; '*'
 * marks a letter with no one-letter ASCII form, ' ' a symbol.
 */
static const char latin1[] =
    "AAAAAA*CEEEEIIII*NOOOOO OUUUUY**aaaaaa*ceeeeiiii*nooooo ouuuuy*y";

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define PARTMAX		64

/* A set of countries: one bit per entry of iso2[]. */
struct cset {
	uint64_t	 w[(NISO + 63) / 64];
};

/* One comma-separated part of a place, normalised. */
struct part {
	char		 lo[PARTMAX];	/* lower case, for matching */
	char		 up[PARTMAX];	/* case as written */
	size_t		 len;
	int		 overflow;	/* too long to be a place name */
};

/* Parts between place separators. */
struct place {
	struct cset	 set;
	int		 informed;	/* some part narrowed set */
	int		 nparts;	/* non-empty parts so far */
	int		 la;		/* its only part so far is "LA" */
};

/* The answer so far, over places and flags. */
struct verdict {
	int		 code;		/* index into iso2, or -1 */
	int		 bad;		/* conflict or ambiguity seen */
};

/* Flag emoji in progress. */
struct flags {
	uint32_t	 ri;		/* a first Regional Indicator, or 0 */
	int		 tag;		/* inside a U+1F3F4 tag sequence */
	int		 ntag;
	char		 tagc[2];
};

enum { U_CHAR, U_SPACE, U_SKIP, U_OPAQUE, U_PART, U_PLACE };

struct unit {
	uint32_t	 cp;		/* UINT32_MAX: not UTF-8 */
	size_t		 len;		/* bytes */
	int		 kind;
	char		 c;		/* U_CHAR: ASCII, case kept */
};

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alpha(int c)
{
	return is_upper(c) || is_lower(c);
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static char
to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static char
to_upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

/* Index in iso2 of the upper-case code at s (two bytes), or -1. */
static int
iso_index(const char *s)
{
	size_t lo = 0, hi = NISO, mid;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		d = memcmp(s, iso2[mid], 2);
		if (d == 0)
			return (int)mid;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static void
cset_clear(struct cset *s)
{
	memset(s, 0, sizeof(*s));
}

static void
cset_fill(struct cset *s)
{
	memset(s, 0xff, sizeof(*s));
}

static void
cset_add(struct cset *s, int i)
{
	if (i >= 0)
		s->w[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Adds the codes run together in codes ("GBCAUS"). */
static void
cset_adds(struct cset *s, const char *codes)
{
	for (; codes[0] != '\0' && codes[1] != '\0'; codes += 2)
		cset_add(s, iso_index(codes));
}

static void
cset_and(struct cset *s, const struct cset *t)
{
	size_t i;

	for (i = 0; i < NELEM(s->w); i++)
		s->w[i] &= t->w[i];
}

/* The number of members, counting no further than two. */
static int
cset_count(const struct cset *s, int *first)
{
	size_t i;
	int b, n = 0;

	for (i = 0; i < NISO; i++) {
		b = (int)(s->w[i / 64] >> (i % 64)) & 1;
		if (b && n++ == 0)
			*first = (int)i;
		if (n > 1)
			break;
	}
	return n;
}

static const struct name *
find(const struct name *t, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, s) == 0)
			return &t[i];
	return NULL;
}

static int
in_list(const char *const *t, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i], s) == 0)
			return 1;
	return 0;
}

/* Whether code (an iso2 index) is one of the countries we know by name. */
static int
is_common(int code)
{
	size_t i;

	for (i = 0; i < NELEM(countries); i++)
		if (memcmp(countries[i].codes, iso2[code], 2) == 0)
			return 1;
	return 0;
}

/* A two-letter country code, upper case, "UK" included, or -1. */
static int
code2_index(const char *up)
{
	if (memcmp(up, "UK", 2) == 0)
		return iso_index("GB");
	return iso_index(up);
}

/*
 * Decodes one UTF-8 sequence at s and says what it is to a location.
 * start is the beginning of the string, for the look-behind of " - ".
 * Never reads past the terminating NUL: a continuation byte is not NUL.
 */
static void
unit_next(const unsigned char *s, const unsigned char *start,
    struct unit *u)
{
	uint32_t cp;
	unsigned char b = s[0];

	u->len = 1;
	u->c = 0;
	if (b < 0x80)
		cp = b;
	else if (b >= 0xc2 && b <= 0xdf && (s[1] & 0xc0) == 0x80) {
		cp = (uint32_t)(b & 0x1f) << 6 | (s[1] & 0x3f);
		u->len = 2;
	} else if (b >= 0xe0 && b <= 0xef && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (b != 0xe0 || s[1] >= 0xa0) &&
	    (b != 0xed || s[1] < 0xa0)) {
		cp = (uint32_t)(b & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		    (s[2] & 0x3f);
		u->len = 3;
	} else if (b >= 0xf0 && b <= 0xf4 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 &&
	    (b != 0xf0 || s[1] >= 0x90) && (b != 0xf4 || s[1] < 0x90)) {
		cp = (uint32_t)(b & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		u->len = 4;
	} else {
		u->cp = UINT32_MAX;
		u->kind = U_OPAQUE;
		return;
	}
	u->cp = cp;

	if (cp < 0x80) {
		if (is_alpha((int)cp) || is_digit((int)cp) || cp == '\'') {
			u->kind = U_CHAR;
			u->c = (char)cp;
		} else if (cp == '.')
			u->kind = U_SKIP;
		else if (cp == ',')
			u->kind = U_PART;
		else if (cp == '/' || cp == '|' || cp == ';' || cp == '&' ||
		    cp == '+' || cp == '\\')
			u->kind = U_PLACE;
		else if (cp == '-' && s > start && is_space(s[-1]) &&
		    (s[1] == '\0' || is_space(s[1])))
			u->kind = U_PLACE;
		else
			u->kind = U_SPACE;
	} else if (cp == 0xb7)
		u->kind = U_PLACE;
	else if (cp < 0xc0)
		u->kind = U_SPACE;
	else if (cp < 0x100) {
		u->c = latin1[cp - 0xc0];
		u->kind = u->c == ' ' ? U_SPACE : u->c == '*' ? U_OPAQUE :
		    U_CHAR;
	} else if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b &&
	    cp <= 0x200f) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0x20e3 || cp == 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	    (cp >= 0xe0000 && cp <= 0xe007f))
		/* Combining accents, joiners, variation selectors, tags. */
		u->kind = U_SKIP;
	else if (cp < 0x2000)
		/* Letters of other scripts: kept, matched by nothing. */
		u->kind = U_OPAQUE;
	else if (cp <= 0x200a || cp == 0x2010 || cp == 0x2011 ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000)
		u->kind = U_SPACE;
	else if (cp == 0x2018 || cp == 0x2019) {
		u->kind = U_CHAR;
		u->c = '\'';
	} else if (cp == 0xff0c || cp == 0x3001)
		u->kind = U_PART;
	else if ((cp >= 0x2000 && cp <= 0x2bff) ||
	    (cp >= 0x3001 && cp <= 0x303f) ||
	    (cp >= 0x1f000 && cp <= 0x1faff))
		/* Dashes, bullets, arrows, dingbats, emoji, flags. */
		u->kind = U_PLACE;
	else
		u->kind = U_OPAQUE;
}

static void
part_init(struct part *p)
{
	p->len = 0;
	p->overflow = 0;
	p->lo[0] = p->up[0] = '\0';
}

/* Appends a character, collapsing spaces; a name does not start with one. */
static void
part_put(struct part *p, char lo, char up)
{
	if (p->overflow)
		return;
	if (lo == ' ' && (p->len == 0 || p->lo[p->len - 1] == ' '))
		return;
	if (p->len + 1 >= sizeof(p->lo)) {
		p->overflow = 1;
		return;
	}
	p->lo[p->len] = lo;
	p->up[p->len] = up;
	p->len++;
}

static void
part_finish(struct part *p)
{
	if (p->len > 0 && p->lo[p->len - 1] == ' ')
		p->len--;
	p->lo[p->len] = p->up[p->len] = '\0';
}

/* Adds a unit's text to a part. */
static void
part_unit(struct part *p, const struct unit *u, const unsigned char *s)
{
	size_t i;

	switch (u->kind) {
	case U_CHAR:
		part_put(p, to_lower(u->c), u->c);
		break;
	case U_OPAQUE:
		for (i = 0; i < u->len; i++)
			part_put(p, (char)s[i], (char)s[i]);
		break;
	case U_SPACE:
	case U_PART:
	case U_PLACE:
		part_put(p, ' ', ' ');
		break;
	default:
		break;
	}
}

/* A country name or a place name, whole. */
static int
lookup(const char *lo, int countries_too, struct cset *out)
{
	const struct name *n;

	if ((countries_too && (n = find(countries, NELEM(countries),
	    lo)) != NULL) || (n = find(places, NELEM(places), lo)) != NULL) {
		cset_clear(out);
		cset_adds(out, n->codes);
		return 1;
	}
	return 0;
}

/*
 * A name of three letters or more: whole, without a leading "the", or
 * without a leading direction if what remains is a state or a city.
 */
static int
name_set(const char *lo, struct cset *out)
{
	char word[16];
	const char *sp;
	size_t n;

	if (lookup(lo, 1, out))
		return 1;
	if (strncmp(lo, "the ", 4) == 0 && lookup(lo + 4, 1, out))
		return 1;
	if ((sp = strchr(lo, ' ')) == NULL || (n = (size_t)(sp - lo)) >=
	    sizeof(word))
		return 0;
	memcpy(word, lo, n);
	word[n] = '\0';
	return in_list(directions, NELEM(directions), word) &&
	    lookup(sp + 1, 0, out);
}

/*
 * A two-letter token; up is as written.  alone: nothing came before it in
 * its place.  Returns 0 when the token says nothing.
 */
static int
code2_set(const char *lo, const char *up, int alone, struct cset *out)
{
	const struct name *clash;
	char code[3];
	int iso, upper;

	upper = is_upper(up[0]) && is_upper(up[1]);
	if (!upper && alone)
		return 0;
	code[0] = to_upper(lo[0]);
	code[1] = to_upper(lo[1]);
	code[2] = '\0';
	iso = code2_index(code);
	if (in_list(states, NELEM(states), code)) {
		clash = find(stateclash, NELEM(stateclash), code);
		if (iso < 0 && clash == NULL && alone &&
		    in_list(statewords, NELEM(statewords), code))
			return 0;
		cset_clear(out);
		cset_adds(out, "US");
		cset_add(out, iso);
		if (clash != NULL)
			cset_adds(out, clash->codes);
		return 1;
	}
	if (iso >= 0 && is_common(iso)) {
		cset_clear(out);
		cset_add(out, iso);
		return 1;
	}
	return lookup(lo, 0, out);
}

/* A three-letter alpha-3 code; 0 if it is not one or is not upper case. */
static int
code3_set(const char *lo, const char *up, struct cset *out)
{
	const struct name *n;

	if ((n = find(alpha3, NELEM(alpha3), lo)) == NULL)
		return 0;
	if (strcmp(lo, "usa") != 0 && !(is_upper(up[0]) && is_upper(up[1]) &&
	    is_upper(up[2])))
		return 0;
	cset_clear(out);
	cset_adds(out, n->codes);
	return 1;
}

static int
all_alpha(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_alpha(s[i]))
			return 0;
	return 1;
}

/* Whether every word of up[0..n) starts with a capital. */
static int
capitalised(const char *up, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((i == 0 || up[i - 1] == ' ') && up[i] != ' ' &&
		    !is_upper(up[i]))
			return 0;
	return 1;
}

/*
 * "Town ST" or "Town USA" with no comma.  Cuts p in two.
 */
static int
suffix_set(struct part *p, struct cset *out)
{
	struct cset town, code;
	char *sp;
	size_t k, n;
	int known, upper, ok, first;

	if ((sp = strrchr(p->lo, ' ')) == NULL)
		return 0;
	k = (size_t)(sp - p->lo);
	n = p->len - k - 1;
	if ((n != 2 && n != 3) || !all_alpha(sp + 1, n))
		return 0;
	upper = is_upper(p->up[k + 1]) && is_upper(p->up[k + 2]) &&
	    (n == 2 || is_upper(p->up[k + 3]));
	p->lo[k] = p->up[k] = '\0';
	known = name_set(p->lo, &town);
	if (!known && !upper)
		return 0;
	if (n == 2)
		ok = code2_set(sp + 1, p->up + k + 1, 0, &code);
	else
		ok = code3_set(sp + 1, p->up + k + 1, &code);
	if (!ok)
		return 0;
	if (known) {
		cset_and(&code, &town);
		*out = code;
		return 1;
	}
	/*
	 * An unknown town: only a state code that means nothing but US, and
	 * only after capitalised words ("Round Rock TX", not "I love NY").
	 */
	if (n != 2 || !capitalised(p->up, k) ||
	    !in_list(states, NELEM(states), p->up + k + 1) ||
	    cset_count(&code, &first) != 1)
		return 0;
	*out = code;
	return 1;
}

/* Whether s[0..n) is a word of n digits after a space, at i >= 1. */
static int
digits_at(const char *s, size_t i, size_t n)
{
	size_t j;

	if (i < 2 || s[i - 1] != ' ')
		return 0;
	for (j = i; j < i + n; j++)
		if (!is_digit(s[j]))
			return 0;
	return 1;
}

/* Drops a trailing ZIP code: "Austin, TX 78701", "NY 10001-1234". */
static void
strip_zip(struct part *p)
{
	size_t len = p->len;

	if (len >= 5 && digits_at(p->lo, len - 5, 5))
		len -= 6;
	else if (len >= 10 && digits_at(p->lo, len - 4, 4) &&
	    digits_at(p->lo, len - 10, 5))
		len -= 11;
	else
		return;
	p->len = len;
	p->lo[len] = p->up[len] = '\0';
}

/*
 * What a part says: 1 and the candidate countries in out, or 0.
 * alone: it is the first non-empty part of its place.
 */
static int
part_set(struct part *p, int alone, struct cset *out, int *la)
{
	const char *lo, *up;
	size_t len;

	if (p->overflow)
		return 0;
	strip_zip(p);
	lo = p->lo;
	up = p->up;
	len = p->len;
	if (len > 3 && name_set(lo, out))
		return 1;
	/* "the US", "the UK". */
	if (len > 4 && strncmp(lo, "the ", 4) == 0) {
		lo += 4;
		up += 4;
		len -= 4;
	}
	if (len == 2 && all_alpha(lo, 2)) {
		if (alone && strcmp(up, "LA") == 0)
			*la = 1;
		return code2_set(lo, up, alone, out);
	}
	if (len == 3 && all_alpha(lo, 3) && find(alpha3, NELEM(alpha3),
	    lo) != NULL)
		return code3_set(lo, up, out);
	if (len <= 3)
		return lookup(lo, 1, out);
	return suffix_set(p, out);
}

static void
place_init(struct place *pl)
{
	cset_fill(&pl->set);
	pl->informed = 0;
	pl->nparts = 0;
	pl->la = 0;
}

static void
verdict_add(struct verdict *v, int code)
{
	if (v->code >= 0 && v->code != code)
		v->bad = 1;
	v->code = code;
}

/* Ends a part: narrows its place by what it says. */
static void
part_close(struct part *p, struct place *pl)
{
	struct cset s;

	part_finish(p);
	if (p->len > 0 || p->overflow) {
		if (part_set(p, pl->nparts == 0, &s, &pl->la)) {
			cset_and(&pl->set, &s);
			pl->informed = 1;
		}
		pl->nparts++;
	}
	part_init(p);
}

/* Ends a place: it must come to one country, or to nothing at all. */
static void
place_close(struct place *pl, struct verdict *v)
{
	int code = -1;

	if (pl->la && pl->nparts == 1)
		verdict_add(v, iso_index("US"));
	else if (pl->informed) {
		if (cset_count(&pl->set, &code) == 1)
			verdict_add(v, code);
		else
			v->bad = 1;
	}
	place_init(pl);
}

/* Flag emoji: Regional Indicator pairs and U+1F3F4 tag sequences. */
static void
flag_feed(struct flags *f, uint32_t cp, struct verdict *v)
{
	char code[2];
	int i;

	if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
		if (f->ri != 0) {
			code[0] = (char)('A' + (f->ri - 0x1f1e6));
			code[1] = (char)('A' + (cp - 0x1f1e6));
			if ((i = iso_index(code)) >= 0)
				verdict_add(v, i);
			f->ri = 0;
		} else
			f->ri = cp;
		f->tag = 0;
		return;
	}
	f->ri = 0;
	if (cp == 0x1f3f4) {
		f->tag = 1;
		f->ntag = 0;
		return;
	}
	if (f->tag && cp >= 0xe0020 && cp <= 0xe007e) {
		if (f->ntag < 2)
			f->tagc[f->ntag] = to_upper((char)(cp - 0xe0000));
		f->ntag++;
		return;
	}
	if (f->tag && cp == 0xe007f && f->ntag >= 2 &&
	    is_upper(f->tagc[0]) && is_upper(f->tagc[1]) &&
	    (i = iso_index(f->tagc)) >= 0)
		verdict_add(v, i);
	f->tag = 0;
}

const char *
sp_country_code(const char *s)
{
	const unsigned char *p;
	const struct name *n;
	struct part b;
	struct unit u;
	const char *lo;
	char code[2];
	int i;

	if (s == NULL)
		return NULL;
	part_init(&b);
	for (p = (const unsigned char *)s; *p != '\0'; p += u.len) {
		unit_next(p, (const unsigned char *)s, &u);
		part_unit(&b, &u, p);
	}
	part_finish(&b);
	if (b.overflow || b.len == 0)
		return NULL;
	if ((n = find(countries, NELEM(countries), b.lo)) != NULL)
		return iso2[iso_index(n->codes)];
	lo = strncmp(b.lo, "the ", 4) == 0 ? b.lo + 4 : b.lo;
	if (strlen(lo) == 2 && all_alpha(lo, 2)) {
		code[0] = to_upper(lo[0]);
		code[1] = to_upper(lo[1]);
		i = code2_index(code);
		return i >= 0 ? iso2[i] : NULL;
	}
	if ((n = find(alpha3, NELEM(alpha3), lo)) != NULL ||
	    (n = find(countries, NELEM(countries), lo)) != NULL)
		return iso2[iso_index(n->codes)];
	return NULL;
}

const char *
sp_country_from_location(const char *location)
{
	const unsigned char *s, *start;
	struct flags f;
	struct part p;
	struct place pl;
	struct unit u;
	struct verdict v;

	if (location == NULL)
		return NULL;
	memset(&f, 0, sizeof(f));
	part_init(&p);
	place_init(&pl);
	v.code = -1;
	v.bad = 0;
	start = (const unsigned char *)location;
	for (s = start; *s != '\0'; s += u.len) {
		unit_next(s, start, &u);
		flag_feed(&f, u.cp, &v);
		if (u.kind == U_PART)
			part_close(&p, &pl);
		else if (u.kind == U_PLACE) {
			part_close(&p, &pl);
			place_close(&pl, &v);
		} else
			part_unit(&p, &u, s);
	}
	part_close(&p, &pl);
	place_close(&pl, &v);
	if (v.bad || v.code < 0)
		return NULL;
	return iso2[v.code];
}
