# A literal leading `cd` moves the manifest into its folder under the destination.
FROM python:3.12
WORKDIR /srv
COPY . .
RUN cd api && pip install -r requirements.txt
