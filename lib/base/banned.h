/* banned.h: functions this tree does not use; each has a safer sibling. */
#ifndef SP_BANNED_H
#define SP_BANNED_H

/*
 * The last #include of every .c file in lib/, cmd/ and fuzz/ (after the
 * system headers, whose declarations these macros would break), so a call
 * to any of these fails to compile; tests/cli/source.t checks the order.
 * Use snprintf, sp_xasprintf, strtok_r and the parsers in strnum.h instead.
 */
#define SP_BANNED(f) sorry_##f##_is_banned_in_spaces

#undef strcpy
#define strcpy(...)	SP_BANNED(strcpy)
#undef strcat
#define strcat(...)	SP_BANNED(strcat)
#undef sprintf
#define sprintf(...)	SP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...)	SP_BANNED(vsprintf)
#undef gets
#define gets(...)	SP_BANNED(gets)
#undef strtok
#define strtok(...)	SP_BANNED(strtok)
#undef atoi
#define atoi(...)	SP_BANNED(atoi)
#undef atol
#define atol(...)	SP_BANNED(atol)
#undef atof
#define atof(...)	SP_BANNED(atof)

#endif
