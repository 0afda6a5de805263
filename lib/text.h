#ifndef STELE_TEXT_H
#define STELE_TEXT_H

/* Strips leading blanks (space, tab) and trailing blanks and CR from s in
 * place; returns the first kept character. For "key = value" files
 * (service definitions, agent.conf). */
char *text_trim(char *s);

/* 1 if word is one of the space-separated words of list, else 0. */
int text_word_in(const char *list, const char *word);

#endif
