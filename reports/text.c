/* Text from a bundle made safe for XML and Markdown. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Bytes in the UTF-8 character that starts with byte c (1 for a stray byte). */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc2)
		return 2;
	return 1;
}

char *
text_xml_clean(const char *s)
{
	size_t n = strlen(s), i = 0, o = 0;
	unsigned char *out = malloc(n * 3 + 1);

	if (out == NULL)
		abort();
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = utf8_len(c);
		int ok = 1;

		if (i + len > n)
			len = n - i, ok = 0;
		if (len == 1 && (c < 0x20 ? !(c == '\t' || c == '\n' || c == '\r') : c >= 0x80))
			ok = 0;
		/* U+FFFE and U+FFFF: EF BF BE, EF BF BF. */
		if (len == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
		    (unsigned char)s[i + 2] >= 0xbe)
			ok = 0;
		if (ok) {
			memcpy(out + o, s + i, len);
			o += len;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
		i += len;
	}
	out[o] = '\0';
	return (char *)out;
}

static void
md_text(FILE *out, const char *s, size_t max, int code)
{
	size_t n = strlen(s), i = 0, used = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = utf8_len(c);

		if (i + len > n)
			len = n - i;
		if (used + len > max) {
			fputs("…", out);
			return;
		}
		used += len;
		if (code && (c == '`' || c == '|'))
			fputs(c == '`' ? "'" : "\\|", out);
		else if (code && c >= 0x20)
			fwrite(s + i, 1, len, out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\n' || c == '\r' || c == '\t' || c < 0x20)
			fputc(' ', out);
		else if (c == '|')
			fputs("\\|", out);
		else if (strchr("\\`*_[]~", c) != NULL)
			fprintf(out, "\\%c", c);
		else
			fwrite(s + i, 1, len, out);
		i += len;
	}
}

void
text_md_cell(FILE *out, const char *s, size_t max)
{
	md_text(out, s, max, 0);
}

void
text_md_code(FILE *out, const char *s, size_t max)
{
	fputc('`', out);
	md_text(out, s, max, 1);
	fputc('`', out);
}
