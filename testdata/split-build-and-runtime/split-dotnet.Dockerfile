# .NET: publish folder → aspnet (the project uses Microsoft.NET.Sdk.Web), same tag; the SDK band 8.0.100 becomes 8.0.
FROM mcr.microsoft.com/dotnet/sdk:8.0.100-bookworm-slim
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app/publish
WORKDIR /app/publish
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Web.dll"]
