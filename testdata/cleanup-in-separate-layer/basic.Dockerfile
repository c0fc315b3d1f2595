# Fires and fixes: a cleanup-only RUN joins the RUN that made the files (right after it: the
# DF001 join; with metadata between: appended in the file's style and its RUN deleted).
FROM node:20
RUN apt-get update && apt-get install -y python3-pip
# tidy up
RUN apt-get clean && rm -rf /var/lib/apt/lists/*
RUN pip install -r requirements.txt
EXPOSE 80
RUN rm -rf /root/.cache/pip
RUN npm ci \
    && npm run build
LABEL x=y
RUN npm cache clean --force; rm -rf /tmp/*
