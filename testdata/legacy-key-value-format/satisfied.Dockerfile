# Nothing to do: key=value forms, and an ENV without value is not this rule's business.
FROM debian:12
ENV A=1 B="two words"
LABEL a=b
