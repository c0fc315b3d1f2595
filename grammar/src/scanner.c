// External scanner of dockfix's Dockerfile grammar.
//
// - Heredocs: `<<EOF` / `<<-EOF` / quoted delimiters in RUN/COPY/ADD; their bodies follow the
//   instruction's line, one `heredoc_line` per line, up to the `heredoc_end` line.
// - `[` after RUN/CMD/ENTRYPOINT (and COPY/ADD/VOLUME): `_json_open` when the rest of the
//   logical line is a JSON array of strings (BuildKit's exec form), else `_shell_bracket` (text).
// - `_path_separator`: blanks between two paths, refused when only the end of the line follows.

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tree_sitter/parser.h"

enum TokenType {
  HEREDOC_MARKER,
  HEREDOC_LINE,
  HEREDOC_END,
  HEREDOC_NL,
  ERROR_SENTINEL,
  JSON_OPEN,
  SHELL_BRACKET,
  PATH_SEPARATOR,
};

// Pending heredoc delimiters, in order. Each is stored as a NUL-terminated string whose first
// byte is '-' for `<<-` (leading tabs stripped) and ' ' otherwise.
#define MAX_HEREDOCS 10
#define MAX_DELIMITER 256

typedef struct {
  bool in_heredoc;
  unsigned count;
  char delimiters[MAX_HEREDOCS][MAX_DELIMITER];
} Scanner;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }
static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }
static inline bool is_space(int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void *tree_sitter_dockerfile_external_scanner_create(void) {
  return calloc(1, sizeof(Scanner));
}

void tree_sitter_dockerfile_external_scanner_destroy(void *payload) { free(payload); }

unsigned tree_sitter_dockerfile_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  unsigned pos = 0;
  buffer[pos++] = (char)s->in_heredoc;
  unsigned kept = 0;
  unsigned count_pos = pos++;
  for (unsigned i = 0; i < s->count; i++) {
    unsigned len = (unsigned)strlen(s->delimiters[i]) + 1;
    if (pos + len > TREE_SITTER_SERIALIZATION_BUFFER_SIZE) break;
    memcpy(&buffer[pos], s->delimiters[i], len);
    pos += len;
    kept++;
  }
  buffer[count_pos] = (char)kept;
  return pos;
}

void tree_sitter_dockerfile_external_scanner_deserialize(void *payload, const char *buffer,
                                                          unsigned length) {
  Scanner *s = payload;
  s->in_heredoc = false;
  s->count = 0;
  if (length < 2) return;
  unsigned pos = 0;
  s->in_heredoc = buffer[pos++];
  unsigned count = (unsigned char)buffer[pos++];
  for (unsigned i = 0; i < count && i < MAX_HEREDOCS && pos < length; i++) {
    unsigned len = 0;
    while (pos + len < length && buffer[pos + len] != '\0') len++;
    if (len >= MAX_DELIMITER) len = MAX_DELIMITER - 1;
    memcpy(s->delimiters[i], &buffer[pos], len);
    s->delimiters[i][len] = '\0';
    pos += len + 1;
    s->count++;
  }
}

// ---- line continuations -------------------------------------------------------------------

// At `\`: consume `\` + blanks + newline and the comment-only / blank lines after it. Returns
// false (having consumed something) if this is not a continuation.
static bool skip_continuation(TSLexer *lexer) {
  if (lexer->lookahead != '\\') return false;
  advance(lexer);
  while (is_blank(lexer->lookahead)) advance(lexer);
  if (lexer->lookahead == '\r') advance(lexer);
  if (lexer->lookahead != '\n') return false;
  advance(lexer);
  for (;;) {
    // Only whole comment/blank lines; the line's blanks are consumed either way, which is
    // harmless since blanks between JSON tokens are insignificant.
    while (is_blank(lexer->lookahead)) advance(lexer);
    if (lexer->lookahead == '#') {
      while (lexer->lookahead != '\n' && !lexer->eof(lexer)) advance(lexer);
      if (lexer->eof(lexer)) return true;
      advance(lexer);
    } else if (lexer->lookahead == '\r' || lexer->lookahead == '\n') {
      if (lexer->lookahead == '\r') advance(lexer);
      if (lexer->lookahead != '\n') return true;
      advance(lexer);
    } else {
      return true;
    }
  }
}

// Blanks inside the logical line: spaces, tabs, `\r`, and continuations.
static bool skip_json_space(TSLexer *lexer) {
  for (;;) {
    if (is_blank(lexer->lookahead) || lexer->lookahead == '\r') {
      advance(lexer);
    } else if (lexer->lookahead == '\\') {
      if (!skip_continuation(lexer)) return false;
    } else {
      return true;
    }
  }
}

// ---- JSON look-ahead ------------------------------------------------------------------------

// After `[`: is the rest of the logical line `"string", …]` followed by blanks only? (what
// json.Unmarshal into []string accepts, for the strings this grammar's json_string can read)
static bool rest_is_json_string_array(TSLexer *lexer) {
  if (!skip_json_space(lexer)) return false;
  if (lexer->lookahead == ']') {
    advance(lexer);
  } else {
    for (;;) {
      if (lexer->lookahead != '"') return false;
      advance(lexer);
      for (;;) {
        int32_t c = lexer->lookahead;
        if (lexer->eof(lexer) || c == '\n') return false;
        advance(lexer);
        if (c == '"') break;
        if (c == '\\') {
          c = lexer->lookahead;
          if (c == 'u') {
            advance(lexer);
            for (int i = 0; i < 4; i++) {
              int32_t h = lexer->lookahead;
              bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
              if (!hex) return false;
              advance(lexer);
            }
          } else if (strchr("\"\\/bfnrt", (int)c) != NULL && c != 0) {
            advance(lexer);
          } else {
            return false;
          }
        }
      }
      if (!skip_json_space(lexer)) return false;
      if (lexer->lookahead == ',') {
        advance(lexer);
        if (!skip_json_space(lexer)) return false;
        continue;
      }
      if (lexer->lookahead != ']') return false;
      advance(lexer);
      break;
    }
  }
  if (!skip_json_space(lexer)) return false;
  return lexer->eof(lexer) || lexer->lookahead == '\n';
}

// ---- heredocs -------------------------------------------------------------------------------

// At `<<`: a heredoc marker as BuildKit reads it (`<<[-]` + a delimiter word without `<`,
// optionally quoted).
static bool scan_marker(Scanner *s, TSLexer *lexer) {
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  bool strip = false;
  if (lexer->lookahead == '-') {
    strip = true;
    advance(lexer);
  }
  int32_t quote = 0;
  if (lexer->lookahead == '"' || lexer->lookahead == '\'') {
    quote = lexer->lookahead;
    advance(lexer);
  }
  char delimiter[MAX_DELIMITER];
  unsigned len = 1;
  delimiter[0] = strip ? '-' : ' ';
  for (;;) {
    int32_t c = lexer->lookahead;
    if (lexer->eof(lexer) || c == '\n' || c == '\r') break;
    if (quote ? c == quote : is_space(c)) break;
    if (c == '<') return false;
    if (c == '\\') {
      advance(lexer);
      c = lexer->lookahead;
      if (lexer->eof(lexer) || c == '\n') return false;
    }
    if (len < MAX_DELIMITER - 1) delimiter[len++] = (char)c;
    advance(lexer);
  }
  if (quote) {
    if (lexer->lookahead != quote) return false;
    advance(lexer);
  }
  if (len == 1) return false;
  delimiter[len] = '\0';
  if (s->count < MAX_HEREDOCS) {
    memcpy(s->delimiters[s->count], delimiter, len + 1);
    s->count++;
  }
  lexer->result_symbol = HEREDOC_MARKER;
  return true;
}

static void pop_heredoc(Scanner *s) {
  for (unsigned i = 1; i < s->count; i++) {
    memcpy(s->delimiters[i - 1], s->delimiters[i], MAX_DELIMITER);
  }
  s->count--;
  if (s->count == 0) s->in_heredoc = false;
}

// A body line, or the terminator line of the first pending heredoc.
static bool scan_heredoc_content(Scanner *s, TSLexer *lexer, const bool *valid) {
  if (s->count == 0) {
    s->in_heredoc = false;
    return false;
  }
  s->in_heredoc = true;
  const char *delimiter = s->delimiters[0];
  if (delimiter[0] == '-') {
    while (lexer->lookahead == '\t') advance(lexer);
  }
  if (valid[HEREDOC_END]) {
    unsigned i = 1;
    while (delimiter[i] != '\0' && !lexer->eof(lexer) && lexer->lookahead == delimiter[i]) {
      advance(lexer);
      i++;
    }
    if (delimiter[i] == '\0') {
      lexer->mark_end(lexer);
      if (lexer->lookahead == '\r') advance(lexer);
      if (lexer->eof(lexer) || lexer->lookahead == '\n') {
        lexer->result_symbol = HEREDOC_END;
        pop_heredoc(s);
        return true;
      }
    }
  }
  if (!valid[HEREDOC_LINE]) return false;
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') advance(lexer);
  lexer->mark_end(lexer);
  lexer->result_symbol = HEREDOC_LINE;
  return true;
}

// ---- entry point ----------------------------------------------------------------------------

bool tree_sitter_dockerfile_external_scanner_scan(void *payload, TSLexer *lexer,
                                                   const bool *valid) {
  Scanner *s = payload;

  if (valid[ERROR_SENTINEL]) {
    // Error recovery: only keep heredoc bodies together.
    if (s->in_heredoc) return scan_heredoc_content(s, lexer, valid);
    return false;
  }

  if (valid[HEREDOC_LINE] || valid[HEREDOC_END]) {
    return scan_heredoc_content(s, lexer, valid);
  }

  bool want_nl = valid[HEREDOC_NL] && s->count > 0;
  if (want_nl || valid[PATH_SEPARATOR] || valid[JSON_OPEN] || valid[SHELL_BRACKET] ||
      valid[HEREDOC_MARKER]) {
    // Blanks are skipped, not part of any of these tokens (a separator is zero-width).
    bool blanks = false;
    while (is_blank(lexer->lookahead) || lexer->lookahead == '\r') {
      if (lexer->lookahead != '\r') blanks = true;
      skip(lexer);
    }
    if (lexer->eof(lexer) || lexer->lookahead == '\n') {
      // The end of the line: the newline that opens pending heredoc bodies.
      if (want_nl && lexer->lookahead == '\n') {
        advance(lexer);
        lexer->result_symbol = HEREDOC_NL;
        return true;
      }
      return false;
    }
    if (valid[PATH_SEPARATOR] && blanks && lexer->lookahead != '#') {
      lexer->result_symbol = PATH_SEPARATOR;
      return true;
    }
    if (lexer->lookahead == '[' && (valid[JSON_OPEN] || valid[SHELL_BRACKET])) {
      advance(lexer);
      lexer->mark_end(lexer);
      if (valid[JSON_OPEN] && (!valid[SHELL_BRACKET] || rest_is_json_string_array(lexer))) {
        lexer->result_symbol = JSON_OPEN;
      } else {
        lexer->result_symbol = SHELL_BRACKET;
      }
      return true;
    }
    if (lexer->lookahead == '<' && valid[HEREDOC_MARKER]) {
      return scan_marker(s, lexer);
    }
  }
  return false;
}
