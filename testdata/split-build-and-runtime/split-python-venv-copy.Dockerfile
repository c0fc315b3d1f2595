# The virtualenv goes above the copies before the first pip install, but not above one that writes into /opt/venv.
FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
COPY sitecustomize.py /opt/venv/lib/python3.12/site-packages/
COPY constraints.txt .
RUN pip install -r requirements.txt -c constraints.txt
COPY . .
CMD ["python", "app.py"]
