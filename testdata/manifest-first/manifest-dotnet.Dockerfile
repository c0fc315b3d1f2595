# .NET: the restore moves with the project, the projects it references and NuGet.config.
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY . ./
RUN dotnet restore API/API.csproj
RUN dotnet publish API/API.csproj -c Release -o /app
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=build /app /app
ENTRYPOINT ["dotnet", "/app/API.dll"]
