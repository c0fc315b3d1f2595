# escape=`
# A backtick escape file on a Linux base: continuations use the backtick.
FROM debian:bookworm
RUN apt-get update && `
    apt-get install -y zip
