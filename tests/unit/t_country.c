/* t_country: declared countries and free-text profile locations. */
#include <stddef.h>

#include "country.h"
#include "t.h"
#include "banned.h"

/* Shorthands: the location gives code, or gives no answer at all. */
#define LOC(s, code)	T_STR(sp_country_from_location(s), code)
#define NOLOC(s)	T_OK(sp_country_from_location(s) == NULL)
#define CODE(s, code)	T_STR(sp_country_code(s), code)
#define NOCODE(s)	T_OK(sp_country_code(s) == NULL)

static void
t_code(void)
{
	CODE("US", "US");
	CODE("us", "US");
	CODE(" usa ", "US");
	CODE("USA", "US");
	CODE("U.S.", "US");
	CODE("U.S.A.", "US");
	CODE("US of A", "US");
	CODE("United States", "US");
	CODE("united states of america", "US");
	CODE("America", "US");
	CODE("the US", "US");
	CODE("UK", "GB");
	CODE("u.k.", "GB");
	CODE("GB", "GB");
	CODE("GBR", "GB");
	CODE("United Kingdom", "GB");
	CODE("Great Britain", "GB");
	CODE("England", "GB");
	CODE("Scotland", "GB");
	CODE("Wales", "GB");
	CODE("Northern Ireland", "GB");
	CODE("Ireland", "IE");
	CODE("CAN", "CA");
	CODE("Canada", "CA");
	CODE("AUS", "AU");
	CODE("IND", "IN");
	CODE("Portugal", "PT");
	CODE("  portugal\t", "PT");
	CODE("Deutschland", "DE");
	CODE("Germany", "DE");
	CODE("M\xc3\xa9xico", "MX");		/* accents do not matter */
	CODE("T\xc3\xbcrkiye", "TR");
	CODE("The Netherlands", "NL");
	CODE("Puerto Rico", "PR");		/* its own ISO code */
	CODE("pr", "PR");
	CODE("jm", "JM");			/* any assigned alpha-2 */
	CODE("NG", "NG");
	CODE("ke", "KE");

	NOCODE(NULL);
	NOCODE("");
	NOCODE("   ");
	NOCODE("XX");
	NOCODE("EU");				/* reserved, not a country */
	NOCODE("Texas");			/* a state is not a country */
	NOCODE("Georgia");			/* the state or the country */
	NOCODE("Korea");			/* which one */
	NOCODE("Austin, TX");
	NOCODE("United States / Canada");
	NOCODE("Earth");
	NOCODE("U");
	NOCODE("USAA");
	NOCODE("a name far longer than any country's name could ever be, "
	    "even a formal one");
}

static void
t_location_us(void)
{
	LOC("Austin, TX", "US");
	LOC("Austin TX", "US");
	LOC("Austin, tx", "US");
	LOC("Austin, TX 78701", "US");		/* a ZIP code is ignored */
	LOC("Brooklyn, NY", "US");
	LOC("Portland, OR", "US");
	LOC("Boise, ID", "US");			/* a known city settles ID */
	LOC("Sacramento, CA", "US");
	LOC("Paris, TX", "US");			/* the state code wins */
	LOC("Round Rock TX", "US");
	LOC("Atlanta, Georgia", "US");
	LOC("Georgia, USA", "US");
	LOC("Richmond, VA", "US");
	LOC("London, KY", "US");
	LOC("Washington, D.C.", "US");
	LOC("Washington DC", "US");
	LOC("District of Columbia", "US");
	LOC("DC", "US");
	LOC("NY", "US");
	LOC("Tulsa, OK", "US");
	LOC("USA", "US");
	LOC("usa", "US");
	LOC("U.S.", "US");
	LOC("United States", "US");
	LOC("America", "US");
	LOC("the States", "US");
	LOC("NYC", "US");
	LOC("New York City", "US");
	LOC("New York", "US");
	LOC("New York, New York", "US");
	LOC("LA", "US");
	LOC("LA, CA", "US");
	LOC("Los Angeles", "US");
	LOC("SF", "US");
	LOC("San Francisco", "US");
	LOC("Bay Area", "US");
	LOC("Silicon Valley", "US");
	LOC("Chicago", "US");
	LOC("Chicago, IL", "US");
	LOC("Houston", "US");
	LOC("DFW", "US");
	LOC("ATL", "US");
	LOC("Miami", "US");
	LOC("Philly", "US");
	LOC("the Bronx", "US");
	LOC("DMV", "US");
	LOC("Las Vegas", "US");
	LOC("Winston-Salem, NC", "US");
	LOC("St. Louis, MO", "US");
	LOC("Texas", "US");
	LOC("North Texas", "US");
	LOC("Southern California", "US");
	LOC("New England", "US");
	LOC("Houston, Texas, USA", "US");
	LOC("NYC & LA", "US");
	LOC("she/her | Austin, TX", "US");
	LOC("\xf0\x9f\x93\x8d Austin, TX", "US");	/* pin emoji */
	LOC("\xf0\x9f\x87\xba\xf0\x9f\x87\xb8", "US");	/* US flag */
	LOC("Atlanta \xf0\x9f\x87\xba\xf0\x9f\x87\xb8", "US");
	LOC("America/New_York", "US");
	LOC("  Seattle,   WA  ", "US");
}

static void
t_location_elsewhere(void)
{
	LOC("Porto, Portugal ", "PT");		/* a real archive value */
	LOC("Porto, Portugal", "PT");
	LOC("PORTO, PORTUGAL", "PT");
	LOC("Lisbon PT", "PT");
	LOC("Lagos, Nigeria", "NG");
	LOC("Lagos, NG", "NG");
	LOC("Toronto, Canada", "CA");
	LOC("Toronto, ON", "CA");
	LOC("Vancouver, BC", "CA");
	LOC("Paris, France", "FR");
	LOC("London, UK", "GB");
	LOC("Birmingham, England", "GB");
	LOC("Glasgow, Scotland", "GB");
	LOC("Perth, WA", "AU");			/* Western Australia */
	LOC("Mumbai, IN", "IN");
	LOC("Tel Aviv, IL", "IL");
	LOC("Tbilisi, Georgia", "GE");
	LOC("Milano, MI", "IT");
	LOC("Bogot\xc3\xa1, Colombia", "CO");
	LOC("S\xc3\xa3o Paulo", "BR");
	LOC("San Juan, PR", "PR");		/* a territory keeps its code */
	LOC("Puerto Rico", "PR");
	LOC("\xf0\x9f\x87\xac\xf0\x9f\x87\xa7", "GB");	/* GB flag */
	LOC("\xf0\x9f\x87\xb5\xf0\x9f\x87\xb9", "PT");	/* PT flag */
	LOC("Nairobi, Kenya \xf0\x9f\x87\xb0\xf0\x9f\x87\xaa", "KE");
	/* Scotland's flag: U+1F3F4 and tags "gbsct", cancel tag. */
	LOC("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xb3"
	    "\xf3\xa0\x81\xa3\xf3\xa0\x81\xb4\xf3\xa0\x81\xbf", "GB");
}

static void
t_location_none(void)
{
	/* The X API documentation's example location. */
	NOLOC("127.0.0.1");
	NOLOC(NULL);
	NOLOC("");
	NOLOC("   ");
	NOLOC("Earth");
	NOLOC("the internet");
	NOLOC("she/her");
	NOLOC("it/its");			/* not Italy */
	NOLOC("\xf0\x9f\x8c\x8d");		/* globe emoji */
	NOLOC("Worldwide");
	NOLOC("Mars");

	/* State codes that are also country codes, alone. */
	NOLOC("CA");
	NOLOC("IN");
	NOLOC("DE");
	NOLOC("ID");
	NOLOC("GA");
	NOLOC("PA");
	NOLOC("AL");
	NOLOC("CO");
	NOLOC("AR");
	NOLOC("MA");
	NOLOC("ME");
	NOLOC("MD");
	NOLOC("MT");
	NOLOC("NE");
	NOLOC("SC");
	NOLOC("VA");
	NOLOC("WA");				/* Washington or W. Australia */
	NOLOC("OK");				/* a word, not Oklahoma */
	NOLOC("HI");
	NOLOC("tx");				/* lower case, alone */
	NOLOC("Berlin, DE");			/* Berlin, NH and Delaware */
	NOLOC("Sesto San Giovanni (MI)");	/* an Italian province */
	NOLOC("Vientiane, LA");
	NOLOC("I love NY");
	NOLOC("Made in USA");
	NOLOC("Join US");

	/* Places with notable namesakes, alone. */
	NOLOC("Georgia");
	NOLOC("London");
	NOLOC("Paris");
	NOLOC("Portland");
	NOLOC("San Jose");
	NOLOC("Birmingham");
	NOLOC("Richmond");
	NOLOC("Melbourne");
	NOLOC("Cambridge");
	NOLOC("Vancouver");
	NOLOC("Perth");
	NOLOC("Hamilton");
	NOLOC("Kingston");
	NOLOC("Sydney");
	NOLOC("London, Ontario");		/* Ontario, California */

	/* Regions that contain the word America are not the US. */
	NOLOC("South America");
	NOLOC("Latin America");
	NOLOC("North America");
	NOLOC("America/Sao_Paulo");

	/* Conflicts between places, parts or flags. */
	NOLOC("NYC / London, UK");
	NOLOC("NYC / London");
	NOLOC("Austin, TX | Toronto");
	NOLOC("Lagos, Portugal");
	NOLOC("Tokyo, NY");
	NOLOC("Brooklyn, NY \xf0\x9f\x87\xaf\xf0\x9f\x87\xb2");
	NOLOC("\xf0\x9f\x87\xba\xf0\x9f\x87\xb8"	/* US and GB flags */
	    "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7");
	NOLOC("Lagos \xf0\x9f\x87\xba\xf0\x9f\x87\xb8");
	NOLOC("Paris - France");		/* two places: ambiguous */
	NOLOC("\xf0\x9f\x87\xaa\xf0\x9f\x87\xba");	/* EU: not a country */

	/* Bytes that are not UTF-8 name nothing. */
	NOLOC("\xff\xfe\x80");
	NOLOC("Austin\xc3");
}

int
main(void)
{
	t_code();
	t_location_us();
	t_location_elsewhere();
	t_location_none();
	return t_done();
}
