/**
 * Dockerfile grammar for dockfix, following BuildKit's parser
 * (moby/buildkit frontend/dockerfile/parser) rather than a stricter reading.
 *
 * Node names follow the published tree-sitter-dockerfile grammar so that code written
 * against it keeps working; README.md lists every difference in tree shape.
 *
 * The escape character is always `\` here: for files with `# escape=\``, dockfix parses a
 * same-length buffer with backticks and backslashes exchanged.
 */

// A case-insensitive keyword, shown as the upper-case word in the tree.
const keyword = (word) =>
  alias(
    new RegExp(
      word
        .split("")
        .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c))
        .join(""),
    ),
    word,
  );

module.exports = grammar({
  name: "dockerfile",

  extras: ($) => [/\s+/, $.line_continuation, $.comment],

  externals: ($) => [
    $.heredoc_marker,
    $.heredoc_line,
    $.heredoc_end,
    $.heredoc_nl,
    $.error_sentinel,
    // `[` that opens a JSON string array (the whole rest of the logical line is one).
    $._json_open,
    // `[` that is just text in a shell command (or a path): the rest is not a JSON array.
    $._shell_bracket,
    // Blanks between two paths (never blanks that only precede the end of the line).
    $._path_separator,
  ],

  rules: {
    source_file: ($) =>
      seq(repeat(seq($._instruction, "\n")), optional($._instruction)),

    _instruction: ($) =>
      choice(
        $.from_instruction,
        $.run_instruction,
        $.cmd_instruction,
        $.label_instruction,
        $.expose_instruction,
        $.env_instruction,
        $.add_instruction,
        $.copy_instruction,
        $.entrypoint_instruction,
        $.volume_instruction,
        $.user_instruction,
        $.workdir_instruction,
        $.arg_instruction,
        $.onbuild_instruction,
        $.stopsignal_instruction,
        $.healthcheck_instruction,
        $.shell_instruction,
        $.maintainer_instruction,
        $.cross_build_instruction,
        $.unknown_instruction,
      ),

    // ---- instructions -------------------------------------------------------------------

    from_instruction: ($) =>
      seq(
        keyword("FROM"),
        repeat($.param),
        $.image_spec,
        optional(seq(keyword("AS"), field("as", $.image_alias))),
      ),

    run_instruction: ($) =>
      seq(
        keyword("RUN"),
        repeat(choice($.param, $.mount_param)),
        optional($._command),
        repeat($.heredoc_block),
      ),

    cmd_instruction: ($) => seq(keyword("CMD"), optional($._command)),

    entrypoint_instruction: ($) => seq(keyword("ENTRYPOINT"), optional($._command)),

    // Exec form when the rest of the logical line is a JSON string array, else shell form
    // (decided by the external scanner's look-ahead at `[`).
    _command: ($) => choice($.json_string_array, $.shell_command),

    label_instruction: ($) =>
      seq(
        keyword("LABEL"),
        choice(repeat1($.label_pair), alias($._legacy_label_pair, $.label_pair)),
      ),

    expose_instruction: ($) =>
      seq(keyword("EXPOSE"), repeat1(choice($.expose_port, $._expose_expansion))),

    env_instruction: ($) =>
      seq(
        keyword("ENV"),
        choice(repeat1($.env_pair), alias($._legacy_env_pair, $.env_pair)),
      ),

    add_instruction: ($) =>
      seq(keyword("ADD"), repeat($.param), $._copy_arguments, repeat($.heredoc_block)),

    copy_instruction: ($) =>
      seq(keyword("COPY"), repeat($.param), $._copy_arguments, repeat($.heredoc_block)),

    _copy_arguments: ($) =>
      choice(
        $.json_string_array,
        seq(
          optional(seq("--", $._path_separator)),
          alias($._path_with_heredoc, $.path),
          repeat(seq($._path_separator, alias($._path_with_heredoc, $.path))),
        ),
      ),

    volume_instruction: ($) =>
      seq(keyword("VOLUME"), choice($.json_string_array, $._paths)),

    _paths: ($) => seq($.path, repeat(seq($._path_separator, $.path))),

    user_instruction: ($) =>
      seq(
        keyword("USER"),
        field("user", alias($._user_part, $.unquoted_string)),
        optional(
          seq(
            token.immediate(":"),
            field("group", alias($._immediate_user_part, $.unquoted_string)),
          ),
        ),
      ),

    _user_part: ($) =>
      seq(
        choice(/[^\s:\$]+/, $.expansion),
        repeat(choice(token.immediate(/[^\s:\$]+/), $._immediate_expansion)),
      ),

    _immediate_user_part: ($) =>
      repeat1(choice(token.immediate(/[^\s:\$]+/), $._immediate_expansion)),

    workdir_instruction: ($) => seq(keyword("WORKDIR"), $._paths),

    arg_instruction: ($) =>
      seq(
        keyword("ARG"),
        repeat1(
          seq(
            field("name", alias($._key, $.unquoted_string)),
            optional(
              seq(token.immediate("="), optional(field("default", $._value))),
            ),
          ),
        ),
      ),

    onbuild_instruction: ($) => seq(keyword("ONBUILD"), $._instruction),

    stopsignal_instruction: ($) =>
      seq(
        keyword("STOPSIGNAL"),
        choice(/[^\s\$]+/, $.expansion),
        repeat(choice(token.immediate(/[^\s\$]+/), $._immediate_expansion)),
      ),

    healthcheck_instruction: ($) =>
      seq(
        keyword("HEALTHCHECK"),
        repeat($.param),
        optional(choice(keyword("NONE"), $.cmd_instruction, $._raw_text)),
      ),

    shell_instruction: ($) => seq(keyword("SHELL"), $.json_string_array),

    maintainer_instruction: () => seq(keyword("MAINTAINER"), /[^\r\n]+/),

    cross_build_instruction: () =>
      seq(
        alias(/[cC][rR][oO][sS][sS]_[bB][uU][iI][lL][dD][a-zA-Z_]*/, "CROSS_BUILD"),
        /[^\r\n]+/,
      ),

    // A word BuildKit's parser accepts as an instruction but Docker does not know (`&&` on
    // the line after a forgotten continuation, template placeholders): kept as one node so
    // the error stays in its line; dockfix treats it as opaque.
    unknown_instruction: ($) =>
      seq(
        field("keyword", alias(token(prec(-1, /[^\s#][^\s]*/)), $.unknown_keyword)),
        optional($._raw_text),
      ),

    // Anything up to the end of the logical line.
    _raw_text: () =>
      repeat1(choice(token(prec(-1, /[^\s\\][^\r\n\\]*/)), /\\[^\r\n]/, "\\")),

    // ---- heredocs -----------------------------------------------------------------------

    heredoc_block: ($) =>
      seq(
        // Only a newline while heredocs are pending (scanner.c), so it never competes with
        // the newline that ends the instruction.
        alias($.heredoc_nl, "_heredoc_nl"),
        repeat(seq($.heredoc_line, "\n")),
        $.heredoc_end,
      ),

    // ---- paths, images ------------------------------------------------------------------

    path: ($) =>
      seq(
        choice(
          /[^-\s\$<\[]/, // not `-` (flags), `<<` (heredocs) or `[` (JSON)
          /<[^<\s]/,
          $._shell_bracket,
          $.expansion,
        ),
        repeat(choice(token.immediate(/[^\s\$]+/), $._immediate_expansion)),
      ),

    _path_with_heredoc: ($) =>
      choice(
        $.heredoc_marker,
        seq(
          choice(/[^-\s\$<\[]/, /<[^-<\s]/, $._shell_bracket, $.expansion),
          repeat(choice(token.immediate(/[^\s\$]+/), $._immediate_expansion)),
        ),
      ),

    image_spec: ($) =>
      seq(
        field("name", $.image_name),
        field("tag", optional($.image_tag)),
        field("digest", optional($.image_digest)),
      ),

    image_name: ($) =>
      seq(
        choice(/[^@:\s\$-]/, $.expansion),
        repeat(choice(token.immediate(/[^@:\s\$]+/), $._immediate_expansion)),
      ),

    image_tag: ($) =>
      seq(
        token.immediate(":"),
        repeat1(choice(token.immediate(/[^@\s\$]+/), $._immediate_expansion)),
      ),

    image_digest: ($) =>
      seq(
        token.immediate("@"),
        repeat1(choice(token.immediate(/[a-zA-Z0-9:]+/), $._immediate_expansion)),
      ),

    image_alias: ($) =>
      seq(
        choice(/[-a-zA-Z0-9_]+/, $.expansion),
        repeat(choice(token.immediate(/[-a-zA-Z0-9_]+/), $._immediate_expansion)),
      ),

    // ---- expansions ---------------------------------------------------------------------

    expansion: ($) => seq("$", $._expansion_body),

    _immediate_expansion: ($) => alias($._imm_expansion, $.expansion),
    _imm_expansion: ($) => seq(token.immediate("$"), $._expansion_body),

    _expansion_body: ($) =>
      choice(
        $.variable,
        seq(
          token.immediate("{"),
          alias(token.immediate(/[^\}]+/), $.variable),
          token.immediate("}"),
        ),
      ),

    variable: () => token.immediate(/[a-zA-Z_][a-zA-Z0-9_]*/),

    // ---- ENV, LABEL, ARG, EXPOSE --------------------------------------------------------

    // Keys of ENV/ARG pairs and of LABEL pairs: anything up to `=` or a blank.
    _key: () => /[^\s="'\\\$#]+/,

    env_pair: ($) =>
      seq(
        field("name", alias($._key, $.unquoted_string)),
        token.immediate("="),
        optional(field("value", $._value)),
      ),

    // Legacy `ENV name value words…`: the value is the rest of the logical line.
    _legacy_env_pair: ($) =>
      seq(field("name", alias($._key, $.unquoted_string)), $._legacy_value),

    label_pair: ($) =>
      seq(
        field("key", $._label_key),
        token.immediate("="),
        optional(field("value", $._value)),
      ),

    _legacy_label_pair: ($) => seq(field("key", $._label_key), $._legacy_value),

    _label_key: ($) =>
      choice(
        alias($._key, $.unquoted_string),
        $.double_quoted_string,
        $.single_quoted_string,
      ),

    // The value right after `=`.
    // Quoted and unquoted parts may follow each other (`a"b c"'d'`), each under `value`.
    _value: ($) =>
      choice(
        seq($.unquoted_string, repeat(seq($._imm_quoted, optional($.unquoted_string)))),
        repeat1(seq($._imm_quoted, optional($.unquoted_string))),
      ),

    _imm_quoted: ($) =>
      choice(
        alias($._imm_double_quoted_string, $.double_quoted_string),
        alias($._imm_single_quoted_string, $.single_quoted_string),
      ),

    // Legacy value: one or more words, each under the `value` field.
    _legacy_value: ($) =>
      repeat1(
        field(
          "value",
          choice(
            $.double_quoted_string,
            $.single_quoted_string,
            alias($._legacy_unquoted_string, $.unquoted_string),
          ),
        ),
      ),

    expose_port: () =>
      seq(/\d+(-\d+)?/, optional(token.immediate(/\/[a-zA-Z]+/))),

    _expose_expansion: ($) =>
      seq(
        $.expansion,
        repeat(choice(token.immediate(/[^\s\$]+/), $._immediate_expansion)),
      ),

    // ---- flags --------------------------------------------------------------------------

    // `--name=value`, or a boolean `--name`.
    param: () =>
      seq(
        "--",
        field("name", token.immediate(/[a-z][-a-z]*/)),
        optional(seq(token.immediate("="), field("value", token.immediate(/([^\s\\]|\\[^\s])+/)))),
      ),

    mount_param: ($) =>
      seq(
        "--",
        field("name", token.immediate("mount")),
        token.immediate("="),
        field(
          "value",
          seq(
            $.mount_param_param,
            repeat(seq(token.immediate(","), $.mount_param_param)),
          ),
        ),
      ),

    // `key=value`, or a boolean `key` (`readonly`).
    mount_param_param: () =>
      seq(
        token.immediate(/([^\s=,\\]|\\[^\s])+/),
        optional(seq(token.immediate("="), token.immediate(/([^\s,\\]|\\[^\s])+/))),
      ),

    // ---- shell form ---------------------------------------------------------------------

    // Fragments separated by line continuations; a continuation may also end the command
    // (`RUN ls \` followed by comment lines and the end of the file).
    shell_command: ($) =>
      seq(
        $.shell_fragment,
        repeat(seq($.line_continuation, $.shell_fragment)),
        optional($.line_continuation),
      ),

    shell_fragment: ($) =>
      repeat1(
        choice(
          $.heredoc_marker,
          $._shell_bracket,
          /[,=-]/,
          // Text: not starting with a blank, `#`, `[`, `,`, `=`, `-` or `\`; `<` may follow a
          // non-blank inside a word (`a<<b` is no heredoc), a word after blanks starting
          // with `<` begins a new token so the scanner can look for a heredoc marker.
          /[^\\\[\r\n#\s,=<-]<*([^\\\r\n\s<]<*|[ \t]+)*/,
          /<+/,
          // `#` right after an escape or `<` is text (comment lines never reach here: a continuation
          // swallows them).
          token.immediate(prec(1, /#([^\\\r\n\s<]<*|[ \t]+)*/)),
          /\\[^\r\n]/,
          /\\/,
        ),
      ),

    // `\` + blanks + newline, and the comment-only and blank lines right after it (BuildKit
    // drops those inside a continuation).
    line_continuation: () => /\\[ \t]*\r?\n([ \t]*(#[^\n]*)?\r?\n)*/,

    // ---- strings ------------------------------------------------------------------------

    json_string_array: ($) =>
      seq(
        alias($._json_open, "["),
        optional(seq($.json_string, repeat(seq(",", $.json_string)))),
        "]",
      ),

    // JSON strings have no `$` expansions.
    json_string: ($) =>
      seq(
        '"',
        repeat(
          choice(
            token.immediate(/[^"\\\n]+/),
            alias($.json_escape_sequence, $.escape_sequence),
          ),
        ),
        token.immediate('"'),
      ),

    json_escape_sequence: () =>
      token.immediate(/\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/),

    double_quoted_string: ($) => seq('"', optional($._dq_content), $._dq_close),
    _imm_double_quoted_string: ($) =>
      seq(token.immediate('"'), optional($._dq_content), $._dq_close),

    // A `$` right before the closing quote is text.
    _dq_close: () => choice(token.immediate('"'), token.immediate('$"')),

    _dq_content: ($) =>
      repeat1(
        choice(
          token.immediate(/([^"\n\\\$]|\$[^a-zA-Z_{"\\\n])+/),
          alias($.double_quoted_escape_sequence, $.escape_sequence),
          token.immediate(/\\[^\r\n"\\]/),
          $._immediate_expansion,
          $.line_continuation,
        ),
      ),

    single_quoted_string: ($) => seq("'", optional($._sq_content), token.immediate("'")),
    // After `=`, an unterminated quote runs to the end of the line (BuildKit accepts it).
    _imm_single_quoted_string: ($) =>
      prec.right(
        seq(token.immediate("'"), optional($._sq_content), optional(token.immediate("'"))),
      ),

    // `\'` does not end the string: BuildKit's word splitting honours the escape inside
    // quotes too.
    _sq_content: ($) =>
      repeat1(
        choice(
          token.immediate(/[^'\n\\]+/),
          alias($.single_quoted_escape_sequence, $.escape_sequence),
          token.immediate(/\\[^\r\n'\\]/),
          token.immediate("\\"),
          $.line_continuation,
        ),
      ),

    // An unquoted value: text, `\x` escapes and expansions, with no blank in between.
    unquoted_string: ($) =>
      repeat1(
        choice(
          token.immediate(/[^\s"'\\\$]+/),
          token.immediate(/\\[^\r\n]/),
          token.immediate("\\"),
          $._immediate_expansion,
        ),
      ),

    // The same, starting a new word (after blanks or a continuation).
    _legacy_unquoted_string: ($) =>
      seq(
        choice(/[^\s"'\\\$=#][^\s"'\\\$]*/, /\\[^\r\n]/, "\\", $.expansion),
        repeat(
          choice(
            token.immediate(/[^\s"'\\\$]+/),
            token.immediate(/\\[^\r\n]/),
            token.immediate("\\"),
            $._immediate_expansion,
          ),
        ),
      ),

    double_quoted_escape_sequence: () => token.immediate(choice("\\\\", '\\"')),

    single_quoted_escape_sequence: () => token.immediate(choice("\\\\", "\\'")),

    comment: () => /#.*/,
  },
});
