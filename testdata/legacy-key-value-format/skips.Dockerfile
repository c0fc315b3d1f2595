# Skips: key and value on different lines, ONBUILD, a Windows value holding the escape char.
FROM debian:12
ENV A \
    value
ONBUILD ENV B value
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV P C:\tools
