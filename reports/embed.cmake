# Writes OUTPUT, a C file defining `const char NAME[]` with INPUT's bytes and
# a final NUL: how the HTML template and seed points get into the command.
# usage: cmake -DINPUT=file -DOUTPUT=file.c -DNAME=symbol -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" len)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "/* Generated from ${INPUT} by reports/embed.cmake: do not edit. */\n"
  "const char ${NAME}[] = {\n${bytes}0x00 };\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
