# Run alone, DF590 reports the codes of rules that ran (itself) and unknown codes; codes of
# rules that did not run are not judged.
FROM debian:12
# dockfix: ignore=DF101,not-a-rule
RUN apt-get install -y curl
