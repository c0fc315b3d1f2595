# The ignore file lacks .git: it is appended in the file's CRLF style after the missing
# final newline.
FROM node:20
COPY . .
