/* country: ISO 3166-1 country codes from names and free-text locations. */
#ifndef SP_COUNTRY_H
#define SP_COUNTRY_H

/*
 * A declared country: "US", "us", "USA", "U.S.", "United States",
 * "United States of America", "America", "GB", "UK", "United Kingdom",
 * "Portugal", ... Returns a static upper-case alpha-2 code, or NULL when s
 * names no country this module knows.
 */
const char *sp_country_code(const char *s);

/*
 * A country inferred from a profile's free-text location ("Austin, TX",
 * "NYC", "Porto, Portugal ", "🇺🇸", "Earth"), or NULL when the text does
 * not name one with confidence.  Ambiguous text ("Georgia", "Paris" alone)
 * gives NULL: never guess.  Returns a static alpha-2 code.
 */
const char *sp_country_from_location(const char *location);

#endif
