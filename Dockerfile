# The portal's image. Provided for those who run Docker; the build machine of this project has no
# Docker engine, so this file is kept valid but is not exercised by CI (see README).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The first build restores DSFR from npm into wwwroot/lib; publish then picks those files up.
RUN dotnet build src/Derogation.Web -c Release \
 && dotnet publish src/Derogation.Web -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Derogation.Web.dll"]
