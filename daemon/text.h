/*
 * text.h — folding text for matching what people typed against what we
 * expect: labels, choice labels, respondent names.
 *
 * Folding removes what people vary without meaning to: case, diacritics
 * (composed, decomposed, or cp1258's combining tone marks), đ/Đ, repeated
 * and non-breaking spaces, punctuation.  "LIÊN HIỆP  Hội\u00a0Hà Nội" and
 * "lien hiep hoi ha noi" fold to the same words.
 */
#ifndef SURVEYD_TEXT_H
#define SURVEYD_TEXT_H

#include <glib.h>

/* Lowercase ASCII-ish words separated by single spaces; g_free() it. */
char	*text_fold(const char *utf8);
/* 1 when the folded phrase occurs in the folded text as whole words. */
int	 text_has_phrase(const char *folded_text, const char *folded_phrase);
/* Trims ASCII and Unicode spaces at both ends; g_free() the result. */
char	*text_trim(const char *utf8);
/* 1 when the string is empty or only spaces. */
int	 text_blank(const char *utf8);

#endif
