# Relative WORKDIRs are reported; absolute, variable, drive-letter and quoted absolute ones not.
FROM debian:12
WORKDIR app
WORKDIR /srv
WORKDIR $HOME/app
WORKDIR "/quoted"
WORKDIR C:\app
