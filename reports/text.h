/* Text from a bundle made safe for XML and Markdown. */
#ifndef IPCCONF_REPORTS_TEXT_H
#define IPCCONF_REPORTS_TEXT_H

#include <stddef.h>
#include <stdio.h>

/*
 * A copy of the UTF-8 string s in which every character XML 1.0 does not
 * allow (controls other than tab, newline and return; U+FFFE, U+FFFF) is
 * U+FFFD. The caller frees it; never NULL (aborts when memory runs out).
 */
char *text_xml_clean(const char *s);

/*
 * Writes s as the text of a Markdown table cell: HTML-escaped (<, >, &, "),
 * Markdown punctuation and | backslash-escaped, line breaks as spaces, at
 * most max bytes (cut on a character boundary, with an ellipsis).
 */
void text_md_cell(FILE *out, const char *s, size_t max);

/* Writes s as Markdown inline code that no content can end early. */
void text_md_code(FILE *out, const char *s, size_t max);

#endif
